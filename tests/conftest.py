"""Shared fixtures: real PostgreSQL and Redis (required in CI), a SQLite file, and app clients.

Point the suite elsewhere with HYPEHERE_TEST_POSTGRES_URL / HYPEHERE_TEST_REDIS_URL (for
example one database per developer running tests in parallel).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from hypehere.adapters.sql.engine import (
    create_engine,
    create_session_factory,
    ensure_postgres_database,
)
from hypehere.bootstrap.migrations import upgrade_to_head
from hypehere.bootstrap.settings import Settings, load_settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def per_worker(postgres_url: str, redis_url: str, worker: str) -> tuple[str, str]:
    """Under pytest-xdist each worker (`gw0`, `gw1`, ...) gets its own PostgreSQL database
    (`<name>_gw1`) and Redis database (the base number minus the worker's index), so workers
    never truncate or flush each other's data; worker 0 and a plain run keep the base names."""
    index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    if index == 0:
        return postgres_url, redis_url
    pg_base, _, pg_name = postgres_url.rpartition("/")
    pg_name, query_sep, query = pg_name.partition("?")
    redis_base, _, redis_db = redis_url.rpartition("/")
    redis_index = int(redis_db or 0) - index
    if redis_index < 0:
        raise RuntimeError(f"{redis_url}: no Redis database left for xdist worker {worker}")
    return (
        f"{pg_base}/{pg_name}_gw{index}{query_sep}{query}",
        f"{redis_base}/{redis_index}",
    )


POSTGRES_URL, REDIS_URL = per_worker(
    os.environ.get(
        "HYPEHERE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    ),
    os.environ.get("HYPEHERE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    os.environ.get("PYTEST_XDIST_WORKER", ""),
)

# Test runs must never pick up a developer's .env or real services by accident.
for _name in list(os.environ):
    if _name.startswith("HYPEHERE_") and not _name.startswith("HYPEHERE_TEST_"):
        del os.environ[_name]


def _unavailable(what: str, exc: BaseException) -> None:
    message = f"{what} is not reachable: {exc!r}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(message)


async def _reset_postgres_schema(url: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("DROP SCHEMA IF EXISTS analytics CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def _run(coro: Any) -> Any:
    """Run a coroutine to completion from sync code, even inside the test event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A migrated PostgreSQL database (schema rebuilt once per test session)."""
    try:
        _run(ensure_postgres_database(POSTGRES_URL))
        _run(_reset_postgres_schema(POSTGRES_URL))
    except (OSError, Exception) as exc:
        _unavailable("PostgreSQL", exc)
    upgrade_to_head(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "hypehere.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade_to_head(url)
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
        client.close()
    except Exception as exc:
        _unavailable("Redis", exc)
    return REDIS_URL


@asynccontextmanager
async def fresh_session(url: str) -> AsyncIterator[AsyncSession]:
    """A session on an emptied database (`truncate_all`), closed with its engine afterwards:
    the SQL side of a contract suite's `world` fixture."""
    await truncate_all(url)
    engine = create_engine(url)
    session = create_session_factory(engine)()
    try:
        yield session
    finally:
        await session.close()
        await engine.dispose()


async def truncate_all(url: str) -> None:
    """Empty every application table (keeps alembic_version)."""
    import hypehere.adapters.sql.all_tables  # noqa: F401
    from hypehere.adapters.sql.metadata import metadata

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            names = [t.name for t in metadata.sorted_tables]
            if conn.dialect.name == "postgresql":
                qualified = ", ".join(
                    f'"{t.schema}"."{t.name}"' if t.schema else f'"{t.name}"'
                    for t in metadata.sorted_tables
                )
                if qualified:
                    await conn.execute(text(f"TRUNCATE {qualified} RESTART IDENTITY CASCADE"))
            else:
                for name in reversed(names):
                    await conn.execute(text(f'DELETE FROM "{name}"'))
    finally:
        await engine.dispose()


async def flush_redis(url: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test on the embedded default (SQLite + memory) and on PostgreSQL + Redis."""
    return str(request.param)


def test_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "var_dir": tmp_path,
        "rate_limit_enabled": False,
        "log_format": "console",
        "log_level": "WARNING",
        "jwt_secret": "test-secret-with-enough-entropy-0123456789abcdef",
        "embedded_worker": False,
        "password_hash_profile": "fast",
        "gc_freeze": False,  # many apps per test process: freezing would keep them all
        # every test registers new accounts: the fail-closed tier would hold their posts
        # (tests/api/moderation/test_held_content.py turns it on)
        "moderation_hold_first_posts": 0,
        "moderation_hold_first_comments": 0,
        "moderation_hold_room_titles": False,
        "moderation_hold_first_messages": 0,
    }
    values.update(overrides)
    return load_settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
async def sql_factory(
    backend: str, request: pytest.FixtureRequest
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on the parametrized backend's SQL database, tables emptied."""
    url = request.getfixturevalue("postgres_url" if backend == "postgres" else "sqlite_url")
    await truncate_all(url)
    engine = create_engine(url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def backend_settings(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Settings]:
    """Settings for the parametrized backend, with empty tables and an empty Redis db."""
    if backend == "postgres":
        url = request.getfixturevalue("postgres_url")
        redis = request.getfixturevalue("redis_url")
        await truncate_all(url)
        await flush_redis(redis)
        yield test_settings(tmp_path, database_url=url, redis_url=redis)
    else:
        url = request.getfixturevalue("sqlite_url")
        await truncate_all(url)
        yield test_settings(tmp_path, database_url=url)


@pytest.fixture
async def client(backend_settings: Settings) -> AsyncIterator[Any]:
    """An HTTP test client around a fresh app on the parametrized backend."""
    from litestar.testing import AsyncTestClient

    from hypehere.bootstrap.app import create_app

    app = create_app(backend_settings)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture(scope="session", autouse=True)
def _hypothesis_profile() -> Iterator[None]:
    from hypothesis import settings as hsettings

    hsettings.register_profile("ci", max_examples=100, deadline=None)
    hsettings.register_profile("dev", max_examples=50, deadline=None)
    hsettings.load_profile("ci" if IN_CI else "dev")
    yield
