"""Direct database tweaks for chat tests: social graph and chat settings set without going
through the users module's endpoints (those are the users module's own tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def execute(database_url: str, sql: str, **params: Any) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql), params)
    finally:
        await engine.dispose()


async def set_chat_settings(
    database_url: str,
    user_id: str,
    *,
    chat_policy: str | None = None,
    send_read_receipts: bool | None = None,
) -> None:
    if chat_policy is not None:
        await execute(
            database_url,
            "UPDATE users SET chat_policy = :p WHERE id = :id",
            p=chat_policy,
            id=user_id,
        )
    if send_read_receipts is not None:
        await execute(
            database_url,
            "UPDATE users SET send_read_receipts = :v WHERE id = :id",
            v=send_read_receipts,
            id=user_id,
        )


async def block(database_url: str, blocker_id: str, blocked_id: str) -> None:
    await execute(
        database_url,
        "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (:a, :b, :t)",
        a=blocker_id,
        b=blocked_id,
        t=datetime.now(UTC),
    )


async def follow(database_url: str, follower_id: str, followee_id: str) -> None:
    await execute(
        database_url,
        "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (:a, :b, :t)",
        a=follower_id,
        b=followee_id,
        t=datetime.now(UTC),
    )
