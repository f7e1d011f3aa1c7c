"""`ensure_postgres_database`: a missing database is created once, an existing one kept."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.sql.engine import ensure_postgres_database


async def test_a_missing_database_is_created_once(postgres_url: str) -> None:
    name = f"hypehere_ensure_{uuid.uuid4().hex[:8]}"
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    admin = create_async_engine(
        make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        assert await ensure_postgres_database(url) is True
        assert await ensure_postgres_database(url) is False
        async with admin.connect() as conn:
            found = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
        assert found == 1
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()


async def test_a_sqlite_url_is_left_alone() -> None:
    assert await ensure_postgres_database("sqlite+aiosqlite:///unused.sqlite3") is False
