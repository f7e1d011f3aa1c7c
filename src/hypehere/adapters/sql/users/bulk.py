"""Bulk loaders of the users module's tables (the demo seed), from plain dicts with the
tables' column names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from hypehere.adapters.sql.bulk import bulk_insert
from hypehere.adapters.sql.users.tables import follows_t, langs_t, users_t


async def load_users(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, users_t, rows)


async def load_user_languages(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, langs_t, rows)


async def load_follows(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, follows_t, rows)
