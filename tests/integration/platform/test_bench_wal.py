"""bench/wal.py against a real PostgreSQL: the WAL a stage wrote, per message."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.wal import WalMeter


async def test_wal_meter_reports_what_was_written_between_start_and_summary(
    postgres_url: str, engine_factory: list[AsyncEngine]
) -> None:
    engine = create_async_engine(postgres_url)
    engine_factory.append(engine)
    meter = WalMeter(postgres_url)
    await meter.start()
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE bench_wal_probe (body text)"))
        await connection.execute(
            text(
                "INSERT INTO bench_wal_probe SELECT repeat('x', 200) FROM generate_series(1, 2000)"
            )
        )
        await connection.execute(text("DROP TABLE bench_wal_probe"))
    summary = await meter.summary(messages=2000)

    found = re.match(r"WAL ([\d.]+) MB \(([\d.]+) KiB/message\); segments crossed (\d+)", summary)
    assert found, summary
    # 2,000 heap rows of 200+ bytes each: at least ~0.2 KiB of WAL per row
    assert float(found.group(2)) >= 0.2
    assert "ready ahead at the start" in summary
