"""Bulk loaders of the feed module's tables (the demo seed), from plain dicts with the
tables' column names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from hypehere.adapters.sql.bulk import bulk_insert
from hypehere.adapters.sql.feed.common import engagements, post_hashtags, post_likes, posts


async def load_posts(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, posts, rows)


async def load_post_hashtags(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, post_hashtags, rows)


async def load_post_likes(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, post_likes, rows)


async def load_engagements(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await bulk_insert(conn, engagements, rows)
