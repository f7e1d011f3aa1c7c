"""PostgreSQL pool without a ping on every checkout: connections the server has closed
(restart, terminated backend) are still never handed out, and idle ones are pinged."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hypehere.adapters.sql.engine import create_engine

pytestmark = pytest.mark.integration


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(url: str, pid: int) -> None:
    killer = create_engine(url, pool_size=1)
    try:
        async with killer.connect() as connection:
            assert (
                await connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            ).scalar_one()
    finally:
        await killer.dispose()


async def test_a_connection_the_server_closed_is_replaced_without_an_error(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_engine(postgres_url, pool_size=1, ping_after_idle_seconds=3600)
    engine_factory.append(engine)
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        pid = int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())
    await _terminate(postgres_url, pid)
    for _ in range(200):  # until the pooled connection has seen its socket close
        if driver.is_closed():
            break
        await asyncio.sleep(0.01)
    assert driver.is_closed()
    new_pid = await _backend_pid(engine)  # no error: replaced at checkout
    assert new_pid != pid


async def test_an_idle_connection_is_pinged_and_replaced_when_dead(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_engine(postgres_url, pool_size=1, ping_after_idle_seconds=0)
    engine_factory.append(engine)
    pid = await _backend_pid(engine)
    await _terminate(postgres_url, pid)
    # whether or not the socket close was seen yet, the ping on checkout catches it
    assert await _backend_pid(engine) != pid
    assert await _backend_pid(engine) == await _backend_pid(engine)
