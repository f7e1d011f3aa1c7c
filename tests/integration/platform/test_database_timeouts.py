"""PostgreSQL timeouts: every connection carries the role's statement_timeout and TCP
keepalives, and a statement that runs past it is a 503 (StorageUnavailableError), not a 500."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hypehere.adapters.sql.engine import DatabaseTimeouts, create_engine
from hypehere.adapters.sql.errors import translate_errors
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.bootstrap.providers.infrastructure import database_timeouts
from hypehere.bootstrap.settings import load_settings

pytestmark = pytest.mark.integration


async def test_a_statement_past_the_statement_timeout_is_a_503(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_engine(
        postgres_url, pool_size=1, timeouts=DatabaseTimeouts(statement_seconds=0.2)
    )
    engine_factory.append(engine)
    with pytest.raises(StorageUnavailableError):
        async with translate_errors(), engine.connect() as connection:
            await connection.execute(text("SELECT pg_sleep(2)"))
    # the connection stays usable (the server cancelled only the statement)
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1


async def test_connections_carry_the_timeout_and_keepalives(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    timeouts = DatabaseTimeouts(statement_seconds=7, keepalive_idle_seconds=42)
    engine = create_engine(postgres_url, pool_size=1, timeouts=timeouts)
    engine_factory.append(engine)
    async with engine.connect() as connection:
        shown = {
            name: (await connection.execute(text(f"SHOW {name}"))).scalar_one()
            for name in ("statement_timeout", "tcp_keepalives_idle")
        }
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        assert driver._config.command_timeout == timeouts.command_seconds == 12
        sock = driver._transport.get_extra_info("socket")
    assert shown["statement_timeout"] == "7s"
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        assert shown["tcp_keepalives_idle"] == "42"
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 42


def test_each_role_of_work_has_its_statement_timeout() -> None:
    settings = load_settings(
        database_statement_timeout_seconds=10,
        database_worker_statement_timeout_seconds=20,
        database_jobs_statement_timeout_seconds=30,
    )
    by_role = {
        role: database_timeouts(settings.model_copy(update={"process_role": role}))
        for role in ("web", "worker", "jobs")
    }
    assert {role: t.statement_seconds for role, t in by_role.items()} == {
        "web": 10,
        "worker": 20,
        "jobs": 30,
    }
