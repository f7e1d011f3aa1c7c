"""Timeline pages are pure reads and run on the request's read session: on PostgreSQL no
transaction is started for them (no BEGIN and no ROLLBACK round trip), while a write in
the same app still runs in its transaction."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.api.feed.conftest import HOME_TIMELINES
from tests.api.feed.test_feed_api import follow
from tests.api.feed.test_posts_api import create_post
from tests.api.helpers import API, auth, register


@pytest.fixture(params=["postgres", HOME_TIMELINES])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def transactions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every transaction asyncpg is asked to start from here on."""
    started: list[str] = []
    original = asyncpg.connection.Connection.transaction

    def counting(self: Any, **kwargs: Any) -> Any:
        started.append("BEGIN")
        return original(self, **kwargs)

    monkeypatch.setattr(asyncpg.connection.Connection, "transaction", counting)
    return started


async def test_timeline_pages_start_no_transaction(client: Any, transactions: list[str]) -> None:
    _me, token = await register(client)
    author, author_token = await register(client)
    await follow(client, token, author["id"])
    await create_post(client, author_token, "hello #tea", language="en")
    assert transactions  # the writes above ran in transactions
    for path in ("/feed/following", "/hashtags/tea/posts", f"/users/{author['id']}/posts"):
        await client.get(f"{API}{path}", headers=auth(token))  # warm: token, status cache
        transactions.clear()
        response = await client.get(f"{API}{path}", params={"limit": 5}, headers=auth(token))
        assert response.status_code == 200, response.text
        assert [p["content"] for p in response.json()["items"]] == ["hello #tea"], path
        assert transactions == [], path


async def test_the_read_pool_plans_once_per_statement(client: Any) -> None:
    """A timeline page's plan is the same probes whoever asks: the read pool's connections
    use generic plans (PostgreSQL's automatic choice re-planned the page every time)."""
    from sqlalchemy import text

    from hypehere.adapters.sql.engine import ReadEngine

    engine = await client.app.state.dishka_container.get(ReadEngine)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SHOW plan_cache_mode"))).scalar() == "force_generic_plan"
        raw = await conn.get_raw_connection()
        assert raw.dbapi_connection is not None and raw.dbapi_connection.autocommit


async def test_the_read_pool_has_its_own_size(client: Any, backend_settings: Any) -> None:
    """`HYPEHERE_DATABASE_READ_POOL_SIZE` connections, never an overflow: the pages queue
    in the admission instead (a backend fewer is CPU PostgreSQL does not spend)."""
    from hypehere.adapters.sql.engine import ReadEngine

    engine = await client.app.state.dishka_container.get(ReadEngine)
    assert backend_settings.database_read_pool_size != backend_settings.database_pool_size
    assert engine.pool.size() == backend_settings.database_read_pool_size
    assert engine.pool._max_overflow == 0


async def test_a_read_session_holds_one_admission_permit_while_open(
    client: Any, backend_settings: Any
) -> None:
    """Requests queue for the read pool first come, first served: each read session holds
    one of `HYPEHERE_DATABASE_READ_POOL_SIZE` permits from its start to its end."""
    from hypehere.adapters.sql.engine import ReadAdmission, ReadSession

    container = client.app.state.dishka_container
    admission = await container.get(ReadAdmission)
    permits = backend_settings.database_read_pool_size
    assert admission._value == permits
    async with container() as request:
        await request.get(ReadSession)
        assert admission._value == permits - 1
        async with container() as other:
            await other.get(ReadSession)
            assert admission._value == permits - 2
    assert admission._value == permits
