"""Denormalized like/comment counts stay exact under concurrency on PostgreSQL: many
likers at once, and one liker racing with themself."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.sql.engine import create_session_factory
from hypehere.adapters.sql.feed.repositories import (
    SqlCommentRepository,
    SqlLikeStore,
    SqlPostRepository,
)
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.domain.feed.model import Comment
from tests.conftest import truncate_all
from tests.contract.feed.test_feed_store_contract import make_post
from tests.contract.feed.world import SqlWorld

pytestmark = pytest.mark.integration
NOW = datetime(2026, 2, 1, tzinfo=UTC)
LIKERS = 16


async def test_concurrent_likes_and_comments_are_counted_exactly(postgres_url: str) -> None:
    await truncate_all(postgres_url)
    # A bounded pool (8 connections, no overflow): the transactions still race on the same
    # row, and the test never exhausts a shared server's max_connections.
    engine = create_async_engine(postgres_url, pool_size=8, max_overflow=0, pool_timeout=120)
    factory = create_session_factory(engine)
    try:
        async with factory() as session:
            world = SqlWorld(session)
            author = await world.add_user("author")
            likers = [await world.add_user(f"liker{i}") for i in range(LIKERS)]
            post = make_post(author)
            await SqlPostRepository(session).add(post)
            await session.commit()

        start = asyncio.Event()

        async def like(user_id: str) -> bool:
            async with factory() as session:
                await start.wait()
                async with SqlUnitOfWork(session):
                    return await SqlLikeStore(session).like_post(post.id, user_id, NOW)

        async def comment(user_id: str) -> None:
            async with factory() as session:
                await start.wait()
                async with SqlUnitOfWork(session):
                    c = Comment.write(
                        post=post, author_id=user_id, content="hi", mentions=(), now=NOW
                    )
                    await SqlCommentRepository(session).add(c)

        tasks = [asyncio.create_task(like(u)) for u in likers]
        tasks += [asyncio.create_task(like(likers[0])) for _ in range(5)]  # self-race
        tasks += [asyncio.create_task(comment(u)) for u in likers[:8]]
        await asyncio.sleep(0)
        start.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert errors == [], [repr(e) for e in errors]
        assert sum(1 for r in results[: LIKERS + 5] if r is True) == LIKERS

        async with factory() as session:
            loaded = await SqlPostRepository(session).get(post.id)
        assert loaded is not None
        assert loaded.like_count == LIKERS
        assert loaded.comment_count == 8
    finally:
        await engine.dispose()
