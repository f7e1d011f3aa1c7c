"""The PostgreSQL pool keeps the connections a burst opened (no overflow by default), so the
next burst reuses them instead of paying for new backends; a burst beyond the pool waits."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hypehere.adapters.sql.engine import create_engine

pytestmark = pytest.mark.integration


async def _burst(engine: AsyncEngine, size: int, hold: float = 0.05) -> set[int]:
    """`size` concurrent checkouts, each held `hold` seconds: the backends that served."""

    async def one() -> int:
        async with engine.connect() as connection:
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            await asyncio.sleep(hold)
            return int(pid)

    return set(await asyncio.gather(*(one() for _ in range(size))))


async def test_a_second_burst_reuses_the_first_bursts_connections(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_engine(postgres_url, pool_size=4)
    engine_factory.append(engine)
    first = await _burst(engine, 4)
    assert len(first) == 4
    assert await _burst(engine, 4) == first  # no backend closed, none opened
    assert engine.pool.checkedin() == 4  # type: ignore[attr-defined]


async def test_a_burst_beyond_the_pool_waits_for_a_connection(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_engine(postgres_url, pool_size=2)
    engine_factory.append(engine)
    served = await _burst(engine, 6)
    assert len(served) == 2  # six checkouts, two backends: the rest waited their turn


async def test_overflow_connections_are_closed_when_given_back(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_engine(postgres_url, pool_size=2, max_overflow=2)
    engine_factory.append(engine)
    first = await _burst(engine, 4)
    assert len(first) == 4
    assert engine.pool.checkedin() == 2  # type: ignore[attr-defined]  # two closed on return
    second = await _burst(engine, 4)
    assert len(second & first) == 2  # the kept two; the other two are new backends


async def test_the_in_use_gauge_follows_checkouts_and_checkins(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    from prometheus_client import REGISTRY

    def in_use() -> float:
        return REGISTRY.get_sample_value("hypehere_db_pool_connections_in_use") or 0.0

    engine = create_engine(postgres_url, pool_size=2)
    engine_factory.append(engine)
    before = in_use()
    async with engine.connect() as first, engine.connect() as second:
        await first.execute(text("SELECT 1"))
        await second.execute(text("SELECT 1"))
        assert in_use() == before + 2
    assert in_use() == before
