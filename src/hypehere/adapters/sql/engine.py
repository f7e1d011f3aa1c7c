"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from pathlib import Path
from typing import Any, NewType

import msgspec
from prometheus_client import Gauge
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


# The client gives up on a statement this long after the server's own `statement_timeout`
# should have cancelled it: only a link that stopped answering (a hung server, a dead
# route) gets that far, and the connection is then dropped rather than reused.
COMMAND_TIMEOUT_MARGIN_SECONDS = 5.0
# TCP keepalive probes after this much silence, then every interval, given up after count
# unanswered probes: a connection whose peer vanished fails within about a minute instead of
# the kernel's two hours (both ends: the server's backend and the client's socket).
KEEPALIVE_INTERVAL_SECONDS = 10
KEEPALIVE_COUNT = 3


class DatabaseTimeouts(msgspec.Struct, frozen=True):
    """PostgreSQL timeouts of one role of work (the web server, the worker, one-off jobs).

    `statement_seconds` is the server-side `statement_timeout` (the server cancels the
    statement: 503 to the caller, the connection stays usable); the client-side asyncpg
    `command_timeout` is that plus `COMMAND_TIMEOUT_MARGIN_SECONDS`. `keepalive_idle_seconds`
    starts TCP keepalive probes on both ends of every connection."""

    statement_seconds: float = 30.0
    keepalive_idle_seconds: int = 30

    @property
    def command_seconds(self) -> float:
        return self.statement_seconds + COMMAND_TIMEOUT_MARGIN_SECONDS

    def connect_args(self) -> dict[str, Any]:
        """asyncpg's `connect()` arguments: the client timeout and the session settings the
        server applies to every statement of the connection."""
        return {
            "command_timeout": self.command_seconds,
            "server_settings": {
                "statement_timeout": str(max(1, round(self.statement_seconds * 1000))),
                "tcp_keepalives_idle": str(self.keepalive_idle_seconds),
                "tcp_keepalives_interval": str(KEEPALIVE_INTERVAL_SECONDS),
                "tcp_keepalives_count": str(KEEPALIVE_COUNT),
            },
        }


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# JSON columns (hashtags, media, payloads) are decoded on every row read: msgspec does it
# several times faster than the stdlib `json` SQLAlchemy uses by default.
_JSON = {"json_serializer": _json_dumps, "json_deserializer": msgspec.json.decode}

# A database error's message (logged, sometimes shown in a traceback) never carries the
# statement's bound values: password hashes, emails, message text stay out of the logs.
_ENGINE_DEFAULTS: dict[str, Any] = {**_JSON, "hide_parameters": True}

# Connections handed out by the pools and not yet given back (summed over the live server
# processes under `serve --workers N`).
POOL_IN_USE = Gauge(
    "hypehere_db_pool_connections_in_use",
    "Database connections checked out of the pool",
    multiprocess_mode="livesum",
)


def create_engine(
    url: str,
    *,
    echo: bool = False,
    pool_size: int = 20,
    max_overflow: int = 0,
    ping_after_idle_seconds: float = DEFAULT_PING_AFTER_IDLE_SECONDS,
    timeouts: DatabaseTimeouts | None = None,
    for_reads: bool = False,
) -> AsyncEngine:
    """Create the engine. SQLite gets WAL, foreign keys, a busy timeout and
    `BEGIN IMMEDIATE` transactions, so concurrent writers queue instead of failing.

    PostgreSQL: the pool opens connections on demand up to `pool_size` and keeps them; a
    burst beyond that waits for one. `max_overflow` connections more may be opened for a
    burst, but each is closed again as soon as it is given back, so every burst pays for new
    ones (a PostgreSQL connection costs tens of milliseconds of CPU on both sides: on the
    chat benchmark, overflow churn after a 50 ms pause stalled every socket for 500 ms).
    No ping on every checkout (asyncpg's pre-ping is BEGIN + query + ROLLBACK, three round
    trips, more than a chat message's own work); see `_check_on_checkout`. `timeouts` (default
    `DatabaseTimeouts()`) bounds every statement and turns on TCP keepalives. `for_reads`:
    the pure-read engine (`ReadEngine`), on PostgreSQL AUTOCOMMIT with generic plans."""
    if is_sqlite(url):
        ensure_sqlite_directory(url)
        engine = create_async_engine(
            url, echo=echo, connect_args={"timeout": 30}, **_ENGINE_DEFAULTS
        )
        _configure_sqlite(engine)
        _count_checkouts(engine)
        return engine
    timeouts = timeouts or DatabaseTimeouts()
    kwargs: dict[str, Any] = {
        **_ENGINE_DEFAULTS,
        "pool_size": pool_size,
        "max_overflow": max_overflow,
        "pool_recycle": POOL_RECYCLE_SECONDS,
        "connect_args": timeouts.connect_args(),
    }
    if for_reads:
        kwargs["isolation_level"] = "AUTOCOMMIT"
        kwargs["connect_args"]["server_settings"]["plan_cache_mode"] = "force_generic_plan"
    engine = create_async_engine(url, echo=echo, **kwargs)
    _check_on_checkout(engine, ping_after_idle_seconds)
    _keepalive_on_connect(engine, timeouts.keepalive_idle_seconds)
    _count_checkouts(engine)
    return engine


def _count_checkouts(engine: AsyncEngine) -> None:
    """`POOL_IN_USE` up on each checkout that succeeded (registered after the checks that may
    refuse one), down on each checkin (an invalidated connection is checked in too)."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _out(_dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        POOL_IN_USE.inc()

    @event.listens_for(engine.sync_engine, "checkin")
    def _in(_dbapi_connection: Any, _record: Any) -> None:
        POOL_IN_USE.dec()


def _keepalive_on_connect(engine: AsyncEngine, idle_seconds: int) -> None:
    """Client-side TCP keepalives on each new connection's socket (asyncpg sets none): a
    server that vanished without a FIN (a dead host, a dropped route) is noticed by the
    kernel instead of a statement waiting on it forever."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        driver_connection = getattr(dbapi_connection, "driver_connection", None)
        transport = getattr(driver_connection, "_transport", None)
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is not None:
            # an exotic socket refusing an option: the server-side keepalive still applies
            with contextlib.suppress(OSError):
                set_keepalive(sock, idle_seconds)


def set_keepalive(sock: Any, idle_seconds: int) -> None:
    """SO_KEEPALIVE with Linux/macOS timings where the platform has them (TCP sockets only:
    a Unix socket has no keepalive)."""
    if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (
        ("TCP_KEEPIDLE", idle_seconds),
        ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL_SECONDS),
        ("TCP_KEEPCNT", KEEPALIVE_COUNT),
    ):
        option = getattr(socket, name, None)
        if option is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)


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


ReadEngine = NewType("ReadEngine", AsyncEngine)
"""The engine pure reads use. On PostgreSQL a pool of its own (`create_engine(...,
for_reads=True)`), whose connections run in AUTOCOMMIT (no BEGIN, no ROLLBACK: two of a
one-statement page's three round trips; each statement sees its own snapshot, which one
statement cannot notice) with `plan_cache_mode = force_generic_plan`: a timeline page's
plan is the same index probes whoever the viewer is, and PostgreSQL's automatic choice
re-planned it at every execution (a custom plan), 1.3 ms of its CPU per page, more than
running it (0.9 ms; measured with a backend's own CPU over 1,000 executions). On SQLite
the engine itself."""

ReadAdmission = NewType("ReadAdmission", asyncio.Semaphore)
"""Admission to the read pool, first come first served (as many permits as the pool has
connections; a request holds one while it holds its read session). SQLAlchemy's async pool
lets a request that arrives as a connection is given back take it ahead of those already
waiting, so under load a few pages waited about a second while the median was 52 ms
(`bench timeline`, 50 clients on a pool of 25: p99 455-488 ms); asyncio's semaphore serves
its waiters in order."""

ReadSession = NewType("ReadSession", AsyncSession)
"""A request's session for pure reads (timeline pages), on `ReadEngine`. Only for use cases
that write nothing and read no row they wrote in the same request."""
