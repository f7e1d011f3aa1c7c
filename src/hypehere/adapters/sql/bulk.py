"""Bulk loading for seeds and benchmarks: COPY on PostgreSQL (asyncpg
`copy_records_to_table`), executemany on SQLite. Each module's `bulk.py` loads its own
tables with it, from plain dicts (column name -> value)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 20_000
COPY_CHUNK = 50_000


def _chunks(
    rows: Sequence[dict[str, Any]], size: int = CHUNK
) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def bulk_insert(conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table` inside the caller's transaction."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        columns = list(rows[0].keys())
        json_columns = {c.name for c in table.columns if "Json" in type(c.type).__name__}
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        for chunk in _chunks(rows, COPY_CHUNK):
            records = [
                tuple(
                    json.dumps(r[c], ensure_ascii=False) if c in json_columns else r[c]
                    for c in columns
                )
                for r in chunk
            ]
            await driver.copy_records_to_table(table.name, records=records, columns=columns)
        return
    for chunk in _chunks(rows):
        await conn.execute(insert(table), list(chunk))
