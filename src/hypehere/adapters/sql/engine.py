"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder (the default lives under ./var/)."""
    database = make_url(url).database
    if is_sqlite(url) and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


async def ensure_postgres_database(url: str) -> bool:
    """Create the PostgreSQL database `url` names if it does not exist yet (connecting to
    the server's `postgres` database): tests and benchmarks start on a bare server. True if
    it was created; a SQLite URL is left alone."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("postgresql") or not parsed.database:
        return False
    admin = create_async_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if exists:
                return False
            quoted = parsed.database.replace('"', '""')
            await conn.execute(text(f'CREATE DATABASE "{quoted}"'))
            return True
    finally:
        await admin.dispose()


DEFAULT_PING_AFTER_IDLE_SECONDS = 10.0
POOL_RECYCLE_SECONDS = 1800


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# JSON columns (hashtags, media, payloads) are decoded on every row read: msgspec does it
# several times faster than the stdlib `json` SQLAlchemy uses by default.
_JSON = {"json_serializer": _json_dumps, "json_deserializer": msgspec.json.decode}

# A database error's message (logged, sometimes shown in a traceback) never carries the
# statement's bound values: password hashes, emails, message text stay out of the logs.
_ENGINE_DEFAULTS: dict[str, Any] = {**_JSON, "hide_parameters": True}


def create_engine(
    url: str,
    *,
    echo: bool = False,
    pool_size: int = 20,
    max_overflow: int = 0,
    ping_after_idle_seconds: float = DEFAULT_PING_AFTER_IDLE_SECONDS,
) -> AsyncEngine:
    """Create the engine. SQLite gets WAL, foreign keys, a busy timeout and
    `BEGIN IMMEDIATE` transactions, so concurrent writers queue instead of failing.

    PostgreSQL: the pool opens connections on demand up to `pool_size` and keeps them; a
    burst beyond that waits for one. `max_overflow` connections more may be opened for a
    burst, but each is closed again as soon as it is given back, so every burst pays for new
    ones (a PostgreSQL connection costs tens of milliseconds of CPU on both sides: on the
    chat benchmark, overflow churn after a 50 ms pause stalled every socket for 500 ms).
    No ping on every checkout (asyncpg's pre-ping is BEGIN + query + ROLLBACK, three round
    trips, more than a chat message's own work); see `_check_on_checkout`."""
    if is_sqlite(url):
        ensure_sqlite_directory(url)
        engine = create_async_engine(
            url, echo=echo, connect_args={"timeout": 30}, **_ENGINE_DEFAULTS
        )
        _configure_sqlite(engine)
        return engine
    kwargs: dict[str, Any] = {
        **_ENGINE_DEFAULTS,
        "pool_size": pool_size,
        "max_overflow": max_overflow,
        "pool_recycle": POOL_RECYCLE_SECONDS,
    }
    engine = create_async_engine(url, echo=echo, **kwargs)
    _check_on_checkout(engine, ping_after_idle_seconds)
    return engine


def _check_on_checkout(engine: AsyncEngine, ping_after_idle_seconds: float) -> None:
    """Hand out only live connections, cheaply: a connection whose socket the server has
    closed (PostgreSQL restarted or terminated the backend) is replaced without a round
    trip, and one that sat idle in the pool longer than `ping_after_idle_seconds` (where a
    silently dropped link hides) is pinged first. A dead link on a busy connection still
    fails its statement (StorageUnavailableError, 503); SQLAlchemy then invalidates the
    pool, so the connections that predate the outage are not handed out again."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver_connection = getattr(dbapi_connection, "driver_connection", None)
        is_closed = getattr(driver_connection, "is_closed", None)
        if is_closed is not None and is_closed():
            raise DisconnectionError("the server closed the connection")
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < ping_after_idle_seconds:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            raise DisconnectionError("the connection failed its ping") from exc


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
