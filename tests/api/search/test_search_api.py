"""GET /search end to end: posts and users reach the index through the outbox (drained
explicitly here), typos are tolerated, and what is shown is re-checked against the rows.

Posts are written the way the feed module writes them (the row plus its outbox event in
one transaction), so these tests exercise search alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dishka import Provider, Scope, provide
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from hypehere.adapters.search.meilisearch import MeilisearchSearchIndex
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.feed.tables import PostRow
from hypehere.adapters.sql.outbox.tables import OutboxEventRow
from hypehere.application.search.ports import SearchIndex
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.ids import new_id
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.helpers import API, auth, register
from tests.conftest import test_settings as settings_for
from tests.conftest import truncate_all
from tests.contract.search.meilisearch_fake import FakeMeilisearch

_clock = iter(range(1, 10_000))


@pytest.fixture
async def db(backend_settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(backend_settings.effective_database_url)
    yield engine
    await engine.dispose()


async def drain(client: Any) -> None:
    """Deliver every due outbox event, in the app's event loop (the test client's portal)."""

    async def run() -> None:
        dispatcher = await client.app.state.dishka_container.get(OutboxDispatcher)
        await dispatcher.drain()

    client.blocking_portal.call(run)


async def event(engine: AsyncEngine, topic: str, payload: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session:
        session.add(
            OutboxEventRow(
                id=new_id(), topic=topic, payload=payload, occurred_at=now, available_at=now
            )
        )
        await session.commit()


async def create_post(
    engine: AsyncEngine, author_id: str, content: str, language: str = "en"
) -> str:
    post_id = new_id()
    created = datetime.now(UTC) - timedelta(minutes=5) + timedelta(seconds=next(_clock))
    async with create_session_factory(engine)() as session:
        session.add(
            PostRow(
                id=post_id,
                author_id=author_id,
                content=content,
                language=language,
                detected_language=language,
                hashtags=[],
                mentioned_user_ids=[],
                media_urls=[],
                created_at=created,
            )
        )
        now = datetime.now(UTC)
        session.add(
            OutboxEventRow(
                id=new_id(),
                topic="feed.post_created",
                payload={
                    "post_id": post_id,
                    "author_id": author_id,
                    "language": language,
                    "hashtags": [],
                    "mentioned_user_ids": [],
                },
                occurred_at=now,
                available_at=now,
            )
        )
        await session.commit()
    return post_id


async def search(client: Any, token: str | None = None, **params: Any) -> dict[str, Any]:
    headers = auth(token) if token else {}
    response = await client.get(f"{API}/search", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


async def test_post_is_searchable_after_the_outbox_drains(client: Any, db: AsyncEngine) -> None:
    author, token = await register(client, nickname="Writer")
    post_id = await create_post(db, author["id"], "Practising pronunciation every morning")
    assert ids(await search(client, q="pronunciation")) == []  # not indexed yet
    await drain(client)
    page = await search(client, q="pronunciation")
    assert ids(page) == [post_id]
    item = page["items"][0]
    assert item["author"] == {
        "id": author["id"],
        "handle": author["handle"],
        "nickname": "Writer",
        "avatar_url": None,
    }
    assert item["content"] == "Practising pronunciation every morning"
    assert item["liked_by_me"] is False and item["removed"] is False
    assert page["next_cursor"] is None
    assert ids(await search(client, token, q="pronunciation", type="posts")) == [post_id]


async def test_one_letter_typo_finds_the_post(client: Any, db: AsyncEngine) -> None:
    author, _ = await register(client)
    post_id = await create_post(db, author["id"], "Learning vocabulary with flashcards")
    await drain(client)
    assert ids(await search(client, q="vocabulbry")) == [post_id]
    assert ids(await search(client, q="flashcerds")) == [post_id]


async def test_removed_post_disappears(client: Any, db: AsyncEngine) -> None:
    author, _ = await register(client)
    post_id = await create_post(db, author["id"], "Grammar question about particles")
    await drain(client)
    assert ids(await search(client, q="particles")) == [post_id]
    async with db.begin() as conn:
        await conn.execute(
            update(PostRow.__table__)  # type: ignore[arg-type]
            .where(PostRow.__table__.c.id == post_id)  # type: ignore[attr-defined]
            .values(removed_at=datetime.now(UTC), removed_reason="report")
        )
    # Hidden at once (hits are re-read from the rows), then gone from the index.
    assert ids(await search(client, q="particles")) == []
    await event(db, "feed.post_removed", {"post_id": post_id, "author_id": author["id"]})
    await drain(client)
    assert ids(await search(client, q="particles")) == []


async def test_blocked_users_content_is_excluded_both_ways(client: Any, db: AsyncEngine) -> None:
    blocker, blocker_token = await register(client)
    blocked, blocked_token = await register(client)
    mine = await create_post(db, blocker["id"], "Weekend hiking club")
    theirs = await create_post(db, blocked["id"], "Hiking trip photos")
    await drain(client)
    response = await client.put(f"{API}/users/{blocked['id']}/block", headers=auth(blocker_token))
    assert response.status_code in (200, 204), response.text
    assert set(ids(await search(client, q="hiking"))) == {mine, theirs}
    assert ids(await search(client, blocker_token, q="hiking")) == [mine]
    assert ids(await search(client, blocked_token, q="hiking")) == [theirs]


async def test_language_filter_and_pagination(client: Any, db: AsyncEngine) -> None:
    author, _ = await register(client)
    english = [await create_post(db, author["id"], f"travel diary day {i}") for i in range(5)]
    spanish = await create_post(db, author["id"], "diario de travel en Madrid", "es")
    await drain(client)
    assert ids(await search(client, q="travel", language="es")) == [spanish]
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {"q": "travel", "language": "en", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await search(client, **params)
        seen.extend(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(english)
    assert len(seen) == len(set(seen))


async def test_users_search_and_hidden_accounts(client: Any) -> None:
    user, token = await register(client, nickname="Seoyeon")
    await drain(client)
    page = await search(client, q="seoyeon", type="users")
    assert ids(page) == [user["id"]]
    assert page["items"][0]["handle"] == user["handle"]
    assert page["items"][0]["target_languages"] == [{"language": "en", "level": "B1"}]
    assert ids(await search(client, q="seoyen", type="users")) == [user["id"]]  # one typo
    response = await client.post(f"{API}/users/me/deactivate", headers=auth(token))
    assert response.status_code in (200, 204), response.text
    assert ids(await search(client, q="seoyeon", type="users")) == []
    await drain(client)
    assert ids(await search(client, q="seoyeon", type="users")) == []


async def test_lessons_are_an_empty_page(client: Any) -> None:
    assert await search(client, q="greetings", type="lessons") == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 422, "validation_error"),
        ({"q": "   "}, 422, "validation_error"),
        ({"q": "x", "type": "videos"}, 422, "validation_error"),
        ({"q": "x", "language": "zz"}, 422, "validation_error"),
        ({"q": "x", "limit": 0}, 422, "validation_error"),
        ({"q": "x", "limit": 101}, 422, "validation_error"),
        ({"q": "x", "cursor": "garbage!"}, 400, "invalid_cursor"),
    ],
)
async def test_invalid_requests(
    client: Any, params: dict[str, Any], status: int, code: str
) -> None:
    response = await client.get(f"{API}/search", params=params)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


async def test_reindex_job_rebuilds_the_index(client: Any, db: AsyncEngine) -> None:
    from hypehere.entrypoints.jobs import search_reindex

    author, _ = await register(client)
    post_id = await create_post(db, author["id"], "Calligraphy brush practice")
    async with db.begin() as conn:  # as if the events had been lost
        await conn.execute(OutboxEventRow.__table__.delete())  # type: ignore[attr-defined]
    await drain(client)
    assert ids(await search(client, q="calligraphy")) == []

    async def reindex() -> None:
        await search_reindex.run(client.app.state.dishka_container, {})

    client.blocking_portal.call(reindex)
    assert ids(await search(client, q="calligraphy")) == [post_id]
    assert ids(await search(client, q=author["handle"], type="users")) == [author["id"]]


# --- the same flow with Meilisearch (the fake HTTP API) as the index ---


class FakeMeilisearchProvider(Provider):
    def __init__(self, adapter: MeilisearchSearchIndex) -> None:
        super().__init__()
        self._adapter = adapter

    @provide(scope=Scope.REQUEST, override=True)
    def index(self) -> SearchIndex:
        return self._adapter


@pytest.fixture
async def sqlite_settings(sqlite_url: str, tmp_path: Path) -> Settings:
    await truncate_all(sqlite_url)
    return settings_for(tmp_path, database_url=sqlite_url)


@pytest.fixture
async def sqlite_db(sqlite_settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(sqlite_settings.effective_database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def meili_client(sqlite_settings: Settings) -> AsyncIterator[Any]:
    """The app on SQLite with Meilisearch (the fake HTTP API) as its search index."""
    from litestar.testing import AsyncTestClient

    from hypehere.bootstrap.app import create_app
    from hypehere.bootstrap.container import make_container

    backend_settings = sqlite_settings

    fake = FakeMeilisearch(master_key="key")
    adapter = MeilisearchSearchIndex(
        "http://meili.test", "key", task_poll_interval_ms=1, transport=fake.transport()
    )
    container = make_container(backend_settings, FakeMeilisearchProvider(adapter))
    app = create_app(backend_settings, container=container)
    async with AsyncTestClient(app=app) as test_client:
        test_client.fake = fake
        yield test_client
    await adapter.aclose()


async def test_meilisearch_index_end_to_end(meili_client: Any, sqlite_db: AsyncEngine) -> None:
    db = sqlite_db
    author, _ = await register(meili_client)
    post_id = await create_post(db, author["id"], "Subway directions in Seoul")
    await drain(meili_client)
    assert "hypehere_posts" in meili_client.fake.indexes
    assert ids(await search(meili_client, q="diractions")) == [post_id]
    assert ids(await search(meili_client, q="seoul", type="users")) == []
    async with db.begin() as conn:
        await conn.execute(
            update(PostRow.__table__)  # type: ignore[arg-type]
            .where(PostRow.__table__.c.id == post_id)  # type: ignore[attr-defined]
            .values(removed_at=datetime.now(UTC), removed_reason="report")
        )
    await event(db, "feed.post_removed", {"post_id": post_id, "author_id": author["id"]})
    await drain(meili_client)
    assert post_id not in meili_client.fake.indexes["hypehere_posts"].documents
    assert ids(await search(meili_client, q="directions")) == []
    meili_client.fake.fail_next("connect")
    response = await meili_client.get(f"{API}/search", params={"q": "directions"})
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


# --- through the feed module's own endpoints ---


async def test_feed_posts_stay_in_step_with_the_index(
    client: Any, backend_settings: Settings
) -> None:
    from tests.api.helpers import make_staff

    _author, token = await register(client)
    staff, staff_token = await register(client)
    await make_staff(client, staff["id"], database_url=backend_settings.effective_database_url)
    created = await client.post(
        f"{API}/posts",
        json={"content": "Morning routine for #language exchange", "language": "en"},
        headers=auth(token),
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    await drain(client)
    assert ids(await search(client, q="routnie")) == []  # transposition: 2 edits, 7 letters
    assert ids(await search(client, q="routine")) == [post_id]
    assert ids(await search(client, q="exchenge")) == [post_id]  # one typo
    edited = await client.patch(
        f"{API}/posts/{post_id}", json={"content": "Evening routine now"}, headers=auth(token)
    )
    assert edited.status_code == 200, edited.text
    await drain(client)
    assert ids(await search(client, q="evening")) == [post_id]
    assert ids(await search(client, q="exchange")) == []
    removed = await client.post(f"{API}/admin/posts/{post_id}/remove", headers=auth(staff_token))
    assert removed.status_code == 200, removed.text
    await drain(client)
    assert ids(await search(client, q="evening")) == []

    second = await client.post(
        f"{API}/posts", json={"content": "Temporary thought", "language": "en"}, headers=auth(token)
    )
    second_id = second.json()["id"]
    await drain(client)
    assert ids(await search(client, q="temporary")) == [second_id]
    deleted = await client.delete(f"{API}/posts/{second_id}", headers=auth(token))
    assert deleted.status_code == 204, deleted.text
    await drain(client)
    assert ids(await search(client, q="temporary")) == []


async def test_openapi_describes_search(client: Any) -> None:
    response = await client.get(f"{API}/schema/openapi.json")
    assert response.status_code == 200, response.text[:500]
    parameters = response.json()["paths"][f"{API}/search"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {"q", "type", "language", "limit", "cursor"}


async def test_posts_of_a_hidden_author_are_not_shown(client: Any, db: AsyncEngine) -> None:
    author, token = await register(client)
    post_id = await create_post(db, author["id"], "Kimchi recipe from grandma")
    await drain(client)
    assert ids(await search(client, q="kimchi")) == [post_id]
    response = await client.post(f"{API}/users/me/deactivate", headers=auth(token))
    assert response.status_code in (200, 204), response.text
    await drain(client)
    assert ids(await search(client, q="kimchi")) == []
