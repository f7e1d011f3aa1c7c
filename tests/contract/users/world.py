"""The users storage adapters under test, built the same way for memory, SQLite and Postgres."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypehere.adapters.memory.users import (
    InMemoryAccountStatusReader,
    InMemoryRefreshTokenRepository,
    InMemorySocialGraph,
    InMemoryUserCounters,
    InMemoryUserReader,
    InMemoryUserRepository,
    InMemoryUserStore,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.users.repositories import (
    SqlAccountStatusReader,
    SqlRefreshTokenRepository,
    SqlSocialGraph,
    SqlUserCounters,
    SqlUserRepository,
)
from hypehere.adapters.sql.users_reader import SqlUserReader
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.users.model import TargetLanguage, User
from tests.conftest import truncate_all

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class UsersWorld:
    users: Any
    graph: Any
    tokens: Any
    reader: Any
    status: Any
    counters: Any
    commit: Any

    async def add_user(
        self,
        name: str,
        *,
        native: str = "ko",
        targets: tuple[tuple[str, str], ...] = (("en", "B1"),),
        active_days_ago: float | None = 0,
    ) -> User:
        user = User(
            id=new_id(),
            email=f"{name}@example.com",
            handle=name,
            nickname=name.title(),
            password_hash="hash",
            native_language=native,
            interface_language="ko",
            created_at=NOW,
            updated_at=NOW,
            target_languages=tuple(TargetLanguage(lang, CefrLevel(lvl)) for lang, lvl in targets),
            last_active_at=None
            if active_days_ago is None
            else NOW - timedelta(days=active_days_ago),
        )
        await self.users.add(user)
        await self.commit()
        return user


async def _noop() -> None:
    return None


def memory_world() -> UsersWorld:
    store = InMemoryUserStore()
    return UsersWorld(
        users=InMemoryUserRepository(store),
        graph=InMemorySocialGraph(store),
        tokens=InMemoryRefreshTokenRepository(store),
        reader=InMemoryUserReader(store),
        status=InMemoryAccountStatusReader(store),
        counters=InMemoryUserCounters(store),
        commit=_noop,
    )


@asynccontextmanager
async def sql_world(url: str) -> AsyncIterator[UsersWorld]:
    await truncate_all(url)
    engine = create_engine(url)
    session = create_session_factory(engine)()
    try:
        yield UsersWorld(
            users=SqlUserRepository(session),
            graph=SqlSocialGraph(session),
            tokens=SqlRefreshTokenRepository(session),
            reader=SqlUserReader(session),
            status=SqlAccountStatusReader(session),
            counters=SqlUserCounters(session),
            commit=session.commit,
        )
    finally:
        await session.close()
        await engine.dispose()
