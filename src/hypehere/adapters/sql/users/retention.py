"""retention-cleanup of the users' tables (called by `adapters/sql/retention.py`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.pruning import delete_by_id, id_floor_before
from hypehere.adapters.sql.users.tables import tokens_t


async def prune_refresh_tokens(session: AsyncSession, before: datetime, limit: int) -> int:
    """Refresh tokens expired or revoked before `before`. Either way the token was created
    before `before`, so the primary-key range bounds the scan."""
    return await delete_by_id(
        session,
        tokens_t,
        limit,
        tokens_t.c.id < id_floor_before(before),
        or_(tokens_t.c.expires_at < before, tokens_t.c.revoked_at < before),
    )
