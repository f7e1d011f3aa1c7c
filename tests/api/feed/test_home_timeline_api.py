"""The following feed read from fan-out home timelines (PostgreSQL + Redis,
`HYPEHERE_HOME_TIMELINE=redis`) gives the same pages and cursors as the SQL feed, on
generated activity: posts in two languages, follows, unfollows, blocks, unblocks and
deletions, with a horizon small enough that timelines are trimmed and deep pages continue
in SQL, and a celebrity threshold low enough that authors cross it both ways. The
outbox is drained before each comparison (the design is eventually consistent within the
outbox's delay)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.feed.readers import SqlPostReader
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.pagination import PageRequest
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.feed.conftest import HOME_TIMELINES
from tests.api.feed.test_posts_api import create_post
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.parametrize("backend", [HOME_TIMELINES])


@pytest.fixture
async def app_client(backend_settings: Settings) -> AsyncIterator[Any]:
    settings = backend_settings.model_copy(
        update={"home_timeline_horizon": 10, "home_timeline_celebrity_followers": 2}
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
async def session(backend_settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = create_engine(backend_settings.effective_database_url)
    try:
        async with create_session_factory(engine)() as s:
            yield s
    finally:
        await engine.dispose()


async def drain(client: Any) -> None:
    """Deliver every due outbox event, in the app's event loop (the test client's portal)."""

    async def run() -> None:
        dispatcher = await client.app.state.dishka_container.get(OutboxDispatcher)
        await dispatcher.drain()

    client.blocking_portal.call(run)


async def http_pages(
    client: Any, token: str, limit: int, language: str | None
) -> list[tuple[list[str], str | None]]:
    out: list[tuple[list[str], str | None]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if language:
            params["language"] = language
        response = await client.get(f"{API}/feed/following", params=params, headers=auth(token))
        assert response.status_code == 200, response.text
        body = response.json()
        cursor = body["next_cursor"]
        out.append(([p["id"] for p in body["items"]], cursor))
        if cursor is None:
            return out


async def sql_pages(
    session: AsyncSession, user_id: str, limit: int, language: str | None
) -> list[tuple[list[str], str | None]]:
    reader = SqlPostReader(session)
    out: list[tuple[list[str], str | None]] = []
    cursor = None
    while True:
        page = await reader.following(
            user_id, language, PageRequest.of(limit, cursor, arity=2), staff=False
        )
        cursor = page.next_cursor
        out.append(([p.id for p in page.items], cursor))
        if cursor is None:
            await session.rollback()  # the next comparison reads a fresh snapshot
            return out


async def test_fan_out_pages_equal_the_sql_feed_on_generated_activity(
    app_client: Any, session: AsyncSession, redis_url: str
) -> None:
    client = app_client
    rng = random.Random(1919)
    people = [await register(client) for _ in range(5)]
    ids = [user["id"] for user, _ in people]
    follows: set[tuple[int, int]] = set()
    blocks: set[tuple[int, int]] = set()
    posts: list[str] = []
    for i, j in ((0, 1), (0, 2), (1, 2), (3, 2), (4, 0)):
        assert (
            await client.put(f"{API}/users/{ids[j]}/follow", headers=auth(people[i][1]))
        ).status_code == 204
        follows.add((i, j))

    async def act() -> None:
        kind = rng.choices(["post", "follow", "unfollow", "block", "delete"], [8, 3, 2, 1, 1])[0]
        i, j = rng.sample(range(len(people)), 2)
        token = people[i][1]
        if kind == "post":
            post = await create_post(
                client, token, f"post {len(posts)}", language=rng.choice(["en", "ja"])
            )
            posts.append(post["id"])
        elif kind == "follow" and (i, j) not in follows and not {(i, j), (j, i)} & blocks:
            response = await client.put(f"{API}/users/{ids[j]}/follow", headers=auth(token))
            assert response.status_code == 204, response.text
            follows.add((i, j))
        elif kind == "unfollow" and (i, j) in follows:
            response = await client.delete(f"{API}/users/{ids[j]}/follow", headers=auth(token))
            assert response.status_code == 204, response.text
            follows.discard((i, j))
        elif kind == "block":
            if (i, j) in blocks:
                response = await client.delete(f"{API}/users/{ids[j]}/block", headers=auth(token))
                blocks.discard((i, j))
            else:
                response = await client.put(f"{API}/users/{ids[j]}/block", headers=auth(token))
                blocks.add((i, j))
                follows.difference_update({(i, j), (j, i)})
            assert response.status_code == 204, response.text
        elif kind == "delete" and posts:
            victim = rng.choice(posts)
            for _, author_token in people:
                response = await client.delete(f"{API}/posts/{victim}", headers=auth(author_token))
                if response.status_code == 204:
                    posts.remove(victim)
                    break

    compared = 0
    for _round in range(5):
        for _ in range(10):
            await act()
        await drain(client)
        for n, (_user, token) in enumerate(people):
            language = rng.choice([None, None, "en"])
            limit = rng.choice([2, 3, 5])
            got = await http_pages(client, token, limit, language)
            want = await sql_pages(session, ids[n], limit, language)
            assert got == want, (_round, n, language, limit)
            compared += sum(len(page) for page, _ in got)
    assert compared > 50  # the pages were not trivially empty
    # The reads went through Redis timelines (the deployment really is fan-out).
    redis = aioredis.Redis.from_url(redis_url)
    try:
        assert [key async for key in redis.scan_iter("hypehere:home:*")]
    finally:
        await redis.aclose()


async def test_a_new_post_reaches_a_warm_timeline_through_the_outbox(app_client: Any) -> None:
    client = app_client
    me, my_token = await register(client)
    author, author_token = await register(client)
    assert (
        await client.put(f"{API}/users/{author['id']}/follow", headers=auth(my_token))
    ).status_code == 204
    first = await create_post(client, author_token, "before my first read", language="en")
    await drain(client)
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [[first["id"]]]
    second = await create_post(client, author_token, "after it", language="en")
    # Not fanned out yet: the warm timeline does not have it (this is what the outbox fills).
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [[first["id"]]]
    await drain(client)
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [
        [second["id"], first["id"]]
    ]
    # An unfollow hides at once, before any outbox delivery drops the timeline.
    other, other_token = await register(client)
    assert (
        await client.put(f"{API}/users/{other['id']}/follow", headers=auth(my_token))
    ).status_code == 204
    await drain(client)
    theirs = await create_post(client, other_token, "soon unfollowed", language="en")
    await drain(client)
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [
        [theirs["id"], second["id"], first["id"]]
    ]
    assert (
        await client.delete(f"{API}/users/{other['id']}/follow", headers=auth(my_token))
    ).status_code == 204
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [
        [second["id"], first["id"]]
    ]
    # A block hides at once, before any outbox delivery.
    assert (
        await client.put(f"{API}/users/{author['id']}/block", headers=auth(my_token))
    ).status_code == 204
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [[]]
    assert me["id"]


async def test_celebrities_are_merged_at_read_time_and_fanned_out_again_below_the_threshold(
    app_client: Any, session: AsyncSession, redis_url: str
) -> None:
    client = app_client
    star, star_token = await register(client)
    fans = [await register(client) for _ in range(2)]  # 2 followers: not over threshold 2
    for _, token in fans:
        assert (
            await client.put(f"{API}/users/{star['id']}/follow", headers=auth(token))
        ).status_code == 204
    old = await create_post(client, star_token, "before the reads", language="en")
    await drain(client)
    me, my_token = fans[0]
    assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [[old["id"]]]
    redis = aioredis.Redis.from_url(redis_url)
    try:
        timeline = f"hypehere:home:v2:{me['id']}"
        assert await redis.zscore(timeline, old["id"]) is not None
        # A third fan takes the star over the threshold; my timeline, warm, is not dropped
        # (my own follows did not change), yet the star's next post is found at once.
        _late, late_token = await register(client)
        assert (
            await client.put(f"{API}/users/{star['id']}/follow", headers=auth(late_token))
        ).status_code == 204
        await drain(client)
        assert await redis.exists(timeline) == 1
        new = await create_post(client, star_token, "a celebrity post", language="en")
        await drain(client)
        assert await redis.zscore(timeline, new["id"]) is None  # not fanned out
        want = await sql_pages(session, me["id"], 1, None)
        assert await http_pages(client, my_token, 1, None) == want
        assert [ids for ids, _ in want] == [[new["id"]], [old["id"]]]
        # The late fan leaves: the star is back under the threshold but still marked until
        # their next post is fanned out; the pages stay right meanwhile.
        assert (
            await client.delete(f"{API}/users/{star['id']}/follow", headers=auth(late_token))
        ).status_code == 204
        await drain(client)
        assert await http_pages(client, my_token, 1, None) == want
        # That post drops the fans' timelines (they never got the celebrity's posts), then
        # is fanned out again; the next read rebuilds mine from SQL.
        third = await create_post(client, star_token, "fanned out again", language="en")
        await drain(client)
        assert await redis.exists(timeline) == 0
        assert [ids for ids, _ in await http_pages(client, my_token, 5, None)] == [
            [third["id"], new["id"], old["id"]]
        ]
        fourth = await create_post(client, star_token, "and again", language="en")
        await drain(client)
        assert await redis.zscore(timeline, fourth["id"]) is not None
        assert await http_pages(client, my_token, 2, None) == await sql_pages(
            session, me["id"], 2, None
        )
        assert not await redis.sismember("hypehere:home:v2:celebrities", star["id"])
    finally:
        await redis.aclose()


async def test_a_renamed_or_deactivated_author_shows_as_they_are_now(app_client: Any) -> None:
    """The pages render authors from the process's card cache: a profile edit and a move to a
    hidden state reach the very next page through the account-status topic."""
    client = app_client
    _, my_token = await register(client)
    author, author_token = await register(client)
    assert (
        await client.put(f"{API}/users/{author['id']}/follow", headers=auth(my_token))
    ).status_code == 204
    post = await create_post(client, author_token, "hello", language="en")
    await drain(client)

    async def cards() -> list[tuple[str, str, str | None]]:
        response = await client.get(f"{API}/feed/following", headers=auth(my_token))
        assert response.status_code == 200, response.text
        return [
            (p["author"]["handle"], p["author"]["nickname"], p["author"]["avatar_url"])
            for p in response.json()["items"]
        ]

    assert await cards() == [(author["handle"], author["nickname"], None)]
    cards_cache = await client.app.state.dishka_container.get(AuthorCardCache)
    assert cards_cache.enabled and author["id"] in cards_cache
    changes = {"nickname": "Renamed", "handle": "renamed_author", "avatar_url": "https://x/y.png"}
    response = await client.patch(f"{API}/users/me", json=changes, headers=auth(author_token))
    assert response.status_code == 200, response.text
    assert await cards() == [("renamed_author", "Renamed", "https://x/y.png")]
    response = await client.post(f"{API}/users/me/deactivate", headers=auth(author_token))
    assert response.status_code in (200, 204), response.text
    assert await cards() == []
    assert post["id"]
