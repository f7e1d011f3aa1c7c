"""The feed ports of one backend plus the users-module data they read, for contract tests.

`MemoryWorld` wires the in-memory fakes; `SqlWorld` the SQL adapters over one session
(users, follows and blocks are inserted straight into the users tables, as the users
module would)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.feed import (
    InMemoryCommentReader,
    InMemoryCommentRepository,
    InMemoryFeed,
    InMemoryPostReader,
    MemoryUser,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.feed.audience import SqlFeedAudience
from hypehere.adapters.sql.feed.candidates import SqlFeedCandidates
from hypehere.adapters.sql.feed.log import SqlFeedLog
from hypehere.adapters.sql.feed.readers import SqlCommentReader, SqlPostReader
from hypehere.adapters.sql.feed.repositories import (
    SqlCommentRepository,
    SqlLikeStore,
    SqlPostRepository,
)
from hypehere.adapters.sql.feed.trending import SqlTrendingStore
from hypehere.adapters.sql.users.tables import BlockRow, FollowRow, UserLanguageRow, UserRow
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.domain.shared.ids import new_id
from tests.conftest import truncate_all

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Ports:
    posts: Any
    comments: Any
    likes: Any
    audience: Any
    reader: Any
    comment_reader: Any
    candidates: Any
    log: Any
    trending: Any


class World:
    ports: Ports

    async def add_user(
        self, handle: str, native: str = "ko", targets: tuple[str, ...] = (), state: str = "active"
    ) -> str:
        raise NotImplementedError

    async def follow(self, follower: str, followee: str) -> None:
        raise NotImplementedError

    async def block(self, blocker: str, blocked: str) -> None:
        raise NotImplementedError

    async def set_state(self, user_id: str, state: str) -> None:
        raise NotImplementedError

    async def commit(self) -> None:
        raise NotImplementedError


class MemoryWorld(World):
    def __init__(self) -> None:
        self.feed = InMemoryFeed()
        self.ports = Ports(
            posts=self.feed,
            comments=InMemoryCommentRepository(self.feed),
            likes=self.feed,
            audience=self.feed,
            reader=InMemoryPostReader(self.feed),
            comment_reader=InMemoryCommentReader(self.feed),
            candidates=self.feed,
            log=self.feed,
            trending=self.feed,
        )

    async def add_user(
        self, handle: str, native: str = "ko", targets: tuple[str, ...] = (), state: str = "active"
    ) -> str:
        user = MemoryUser(new_id(), handle, handle.title(), native, targets, state, joined_at=EPOCH)
        return self.feed.add_user(user).id

    async def follow(self, follower: str, followee: str) -> None:
        self.feed.follow(follower, followee)

    async def block(self, blocker: str, blocked: str) -> None:
        self.feed.block(blocker, blocked)

    async def set_state(self, user_id: str, state: str) -> None:
        self.feed.set_state(user_id, state)

    async def commit(self) -> None:
        return None


class SqlWorld(World):
    """`cards`: the reader renders with a live author-card cache, which the world's account
    changes invalidate (as `SessionControl` does after a commit)."""

    def __init__(self, session: AsyncSession, cards: AuthorCardCache | None = None) -> None:
        self.session = session
        self.cards = cards
        self.ports = Ports(
            posts=SqlPostRepository(session),
            comments=SqlCommentRepository(session),
            likes=SqlLikeStore(session),
            audience=SqlFeedAudience(session),
            reader=SqlPostReader(session, cards=cards),
            comment_reader=SqlCommentReader(session),
            candidates=SqlFeedCandidates(session),
            log=SqlFeedLog(session),
            trending=SqlTrendingStore(session),
        )

    async def add_user(
        self, handle: str, native: str = "ko", targets: tuple[str, ...] = (), state: str = "active"
    ) -> str:
        user_id = new_id()
        self.session.add(
            UserRow(
                id=user_id,
                email=f"{handle}@example.com",
                handle=handle,
                nickname=handle.title(),
                native_language=native,
                interface_language="en",
                password_hash="!",
                state=state,
                created_at=EPOCH,
                updated_at=EPOCH,
            )
        )
        await self.session.flush()
        for position, language in enumerate(targets):
            await self.session.execute(
                insert(UserLanguageRow.__table__).values(  # type: ignore[attr-defined]
                    user_id=user_id, language=language, level="B1", position=position
                )
            )
        await self.session.commit()
        return user_id

    async def follow(self, follower: str, followee: str) -> None:
        await self.session.execute(
            insert(FollowRow.__table__).values(  # type: ignore[attr-defined]
                follower_id=follower, followee_id=followee, created_at=EPOCH
            )
        )
        users = UserRow.__table__  # type: ignore[attr-defined]
        await self.session.execute(
            update(users)
            .where(users.c.id == followee)
            .values(follower_count=users.c.follower_count + 1)
        )
        await self.session.commit()

    async def block(self, blocker: str, blocked: str) -> None:
        await self.session.execute(
            insert(BlockRow.__table__).values(  # type: ignore[attr-defined]
                blocker_id=blocker, blocked_id=blocked, created_at=EPOCH
            )
        )
        await self.session.commit()

    async def set_state(self, user_id: str, state: str) -> None:
        users = UserRow.__table__  # type: ignore[attr-defined]
        await self.session.execute(update(users).where(users.c.id == user_id).values(state=state))
        await self.session.commit()
        if self.cards is not None:
            self.cards.invalidate(user_id)

    async def set_profile(self, user_id: str, **columns: object) -> None:
        """Change `users` columns straight in the database (no use case: nothing cached is
        told)."""
        users = UserRow.__table__  # type: ignore[attr-defined]
        await self.session.execute(update(users).where(users.c.id == user_id).values(**columns))
        await self.session.commit()

    async def commit(self) -> None:
        await self.session.commit()


async def sql_world(url: str, *, cards: bool = False) -> AsyncIterator[SqlWorld]:
    """A `SqlWorld` over a fresh session on the emptied database at `url` (with `cards`, its
    reader renders from a live author-card cache)."""
    await truncate_all(url)
    engine = create_engine(url)
    cache = None
    if cards:
        cache = AuthorCardCache(1000, 60.0)
        cache.enable()
    try:
        async with create_session_factory(engine)() as session:
            yield SqlWorld(session, cache)
    finally:
        await engine.dispose()
