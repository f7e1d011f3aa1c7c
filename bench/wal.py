"""PostgreSQL's write-ahead log around a bench stage.

Every commit waits for its WAL to reach the disk. When the current 16 MB segment file is
full, the commit that crosses into the next one opens the next file; if no old file was
recycled into that name, PostgreSQL creates it and writes 16 MB of zeros first
(`wal_init_zero`), and every commit in flight waits. Measured here at 500 msg/s: 45-75 ms,
once per segment, that is every ~8 s. A server that has run a while has no such files to
create: each checkpoint renames the segments it no longer needs into the names that come
next. A freshly started one (CI, a new machine) creates every file it fills until its first
checkpoints, so a bench on it measures that start-up cost, not the chat.

`WalMeter` reports, per stage, how much WAL the stage wrote and how many files it had to
create; `recycle_ahead` puts a fresh server where a running one is before measuring.
"""

from __future__ import annotations

import math
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SEGMENT_BYTES = 16 * 1024 * 1024

# The current segment, and the segment files beside it: those named after it are ready for
# the WAL to come (recycled by a checkpoint, or preallocated).
_POSITION = text(
    """
SELECT pg_current_wal_lsn()::text AS lsn,
       pg_walfile_name(pg_current_wal_lsn()) AS current,
       count(*) FILTER (WHERE w.name ~ '^[0-9A-F]{24}$') AS files,
       count(*) FILTER (WHERE w.name ~ '^[0-9A-F]{24}$'
                        AND w.name > pg_walfile_name(pg_current_wal_lsn())) AS ahead
  FROM pg_ls_waldir() AS w
"""
)


class WalPosition:
    def __init__(self, row: Any) -> None:
        self.lsn: str = row.lsn
        self.current: str = row.current
        self.files = int(row.files)
        self.ahead = int(row.ahead)

    @property
    def offset(self) -> int:
        """The LSN as a byte offset ('16/B374D848': high and low 32 bits, in hex)."""
        high, low = self.lsn.split("/")
        return (int(high, 16) << 32) + int(low, 16)

    @property
    def segment(self) -> int:
        """The segment's number (the file name's last 16 hex digits: log and segment)."""
        return int(self.current[8:16], 16) * 0x100 + int(self.current[16:], 16)


def is_postgres(database_url: str | None) -> bool:
    return bool(database_url and database_url.startswith("postgresql"))


def _engine(database_url: str) -> AsyncEngine:
    return create_async_engine(database_url, pool_size=1, isolation_level="AUTOCOMMIT")


async def _position(engine: AsyncEngine) -> WalPosition:
    async with engine.connect() as connection:
        return WalPosition((await connection.execute(_POSITION)).one())


class WalMeter:
    """`start()` before a stage, `summary(messages)` after it (one line); PostgreSQL only,
    and the role needs `pg_ls_waldir()` (superuser or pg_monitor)."""

    def __init__(self, database_url: str) -> None:
        self._engine = _engine(database_url)
        self._start: WalPosition | None = None

    async def start(self) -> None:
        self._start = await _position(self._engine)

    async def summary(self, messages: int) -> str:
        start = self._start
        if start is None:
            return ""
        end = await _position(self._engine)
        await self._engine.dispose()
        written = end.offset - start.offset
        # A checkpoint during the stage may remove or rename files: the count is then a floor.
        created = max(0, end.files - start.files)
        per_message = written / 1024 / max(1, messages)
        return (
            f"WAL {written / 2**20:.1f} MB ({per_message:.1f} KiB/message); "
            f"segments crossed {end.segment - start.segment}, files created {created} "
            f"(ready ahead at the start: {start.ahead})"
        )


async def vacuum_analyze(database_url: str) -> str:
    """VACUUM ANALYZE the whole database: earlier runs' dead rows and stale statistics
    (autovacuum may be off or behind on a bench box) would be this run's cost."""
    engine = _engine(database_url)
    try:
        async with engine.connect() as connection:
            started = time.perf_counter()
            await connection.execute(text("VACUUM ANALYZE"))
    finally:
        await engine.dispose()
    return f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s"


async def recycle_ahead(database_url: str, megabytes: float) -> str:
    """Make sure about `megabytes` of segment files are ready ahead of the WAL, as on a
    server that has run for a while: if fewer are, switch through that many segments (each
    `pg_switch_wal()` ends one; the next WAL opens, or creates, the next file), then
    CHECKPOINT, which recycles the files behind it into the names ahead. Needs a superuser
    (or pg_checkpoint and EXECUTE on pg_switch_wal)."""
    wanted = math.ceil(megabytes * 2**20 / SEGMENT_BYTES)
    engine = _engine(database_url)
    try:
        before = after = await _position(engine)
        if before.ahead < wanted:
            async with engine.connect() as connection:
                for _ in range(wanted):
                    # a transaction id makes a commit record: WAL in the segment to end
                    await connection.execute(text("SELECT txid_current()"))
                    await connection.execute(text("SELECT pg_switch_wal()"))
                await connection.execute(text("CHECKPOINT"))
            after = await _position(engine)
    finally:
        await engine.dispose()
    return (
        f"WAL: {after.ahead} segment files ready ahead ({after.ahead * 16} MB; "
        f"{before.ahead} before), as on a server whose checkpoints recycle its old segments"
    )
