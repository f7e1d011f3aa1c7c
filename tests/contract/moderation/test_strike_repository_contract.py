"""StrikeRepository contract: memory, SQLite, PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hypehere.adapters.memory.moderation import InMemoryStrikeRepository
from hypehere.adapters.sql.moderation.strikes import SqlStrikeRepository
from hypehere.domain.moderation.strikes import AppealStatus, Strike, StrikeAction
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest
from tests.conftest import fresh_session

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class World:
    repo: Any
    commit: Any


async def _noop() -> None:
    return None


def strike(user: str, at: datetime = NOW, action: StrikeAction = StrikeAction.WARNING) -> Strike:
    return Strike(
        id=new_id(),
        user_id=user,
        action=action,
        reason="spam",
        excerpt="buy now",
        issued_by="staff-a",
        created_at=at,
        content_type="post",
        content_id="p1",
        report_id="r1",
    )


class StrikeRepositoryContract:
    async def test_round_trip_appeal_and_decision(self, world: World) -> None:
        s = strike("u1")
        await world.repo.add(s)
        await world.commit()
        assert await world.repo.get(s.id) == s
        assert await world.repo.get(new_id()) is None
        appeal = s.file_appeal(new_id(), "unfair", NOW + timedelta(days=1))
        await world.repo.save(s)
        await world.commit()
        assert await world.repo.get(s.id) == s
        assert await world.repo.by_appeal(appeal.id) == s
        assert await world.repo.by_appeal(new_id()) is None
        s.decide_appeal("staff-b", True, "ok", NOW + timedelta(days=2))
        await world.repo.save(s)
        await world.commit()
        loaded = await world.repo.get(s.id)
        assert loaded == s and loaded.appeal.status is AppealStatus.OVERTURNED

    async def test_for_user_newest_first(self, world: World) -> None:
        a = strike("u1", NOW)
        b = strike("u1", NOW + timedelta(hours=1), StrikeAction.BAN)
        c = strike("u2", NOW)
        for s in (a, b, c):
            await world.repo.add(s)
        await world.commit()
        assert [s.id for s in await world.repo.for_user("u1")] == [b.id, a.id]
        assert await world.repo.for_user("u9") == []

    async def test_appeals_by_status_oldest_first_pages(self, world: World) -> None:
        strikes = [strike(f"u{i}") for i in range(4)]
        for i, s in enumerate(strikes):
            await world.repo.add(s)
            if i < 3:
                s.file_appeal(new_id(), "please", NOW + timedelta(minutes=3 - i))
                await world.repo.save(s)
        await world.commit()
        strikes[0].decide_appeal("staff-b", False, "no", NOW + timedelta(hours=1))
        await world.repo.save(strikes[0])
        await world.commit()
        first = await world.repo.appeals(AppealStatus.PENDING, PageRequest(limit=1))
        assert [s.id for s in first.items] == [strikes[2].id]
        rest = await world.repo.appeals(AppealStatus.PENDING, PageRequest.of(1, first.next_cursor))
        assert [s.id for s in rest.items] == [strikes[1].id] and rest.next_cursor is None
        upheld = await world.repo.appeals(AppealStatus.UPHELD, PageRequest())
        assert [s.id for s in upheld.items] == [strikes[0].id]
        with pytest.raises(InvalidCursorError):
            await world.repo.appeals(AppealStatus.PENDING, PageRequest(cursor=(1, 2)))


class TestMemory(StrikeRepositoryContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        yield World(repo=InMemoryStrikeRepository(), commit=_noop)


async def _sql_world(url: str) -> AsyncIterator[World]:
    async with fresh_session(url) as session:
        yield World(repo=SqlStrikeRepository(session), commit=session.commit)


class TestSqlite(StrikeRepositoryContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(sqlite_url):
            yield world


class TestPostgres(StrikeRepositoryContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(postgres_url):
            yield world
