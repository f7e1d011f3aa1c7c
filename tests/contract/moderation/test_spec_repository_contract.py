"""SpecRepository contract: memory, SQLite, PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hypehere.adapters.memory.moderation import InMemorySpecRepository
from hypehere.adapters.sql.moderation.specs import SqlSpecRepository
from hypehere.domain.moderation.specs import Spec, SpecStatus
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import PageRequest
from tests.conftest import fresh_session

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class World:
    repo: Any
    commit: Any


async def _noop() -> None:
    return None


def spec(category: str, at: datetime, status: SpecStatus = SpecStatus.DRAFT) -> Spec:
    return Spec(new_id(), "title", "body", category, status, "s1", at, "s1", at)


class SpecRepositoryContract:
    async def test_round_trip_filters_and_order(self, world: World) -> None:
        a = spec("reports", NOW)
        b = spec("appeals", NOW + timedelta(seconds=1), SpecStatus.REVIEW)
        c = spec("reports", NOW + timedelta(seconds=2), SpecStatus.REVIEW)
        for s in (a, b, c):
            await world.repo.add(s)
        await world.commit()
        assert await world.repo.get(a.id) == a
        a.status = SpecStatus.APPROVED
        a.updated_at = NOW + timedelta(seconds=3)
        await world.repo.save(a)
        await world.commit()
        assert await world.repo.get(a.id) == a
        everything = await world.repo.list(None, None, PageRequest())
        assert [s.id for s in everything.items] == [a.id, c.id, b.id]
        review = await world.repo.list(SpecStatus.REVIEW, "reports", PageRequest())
        assert [s.id for s in review.items] == [c.id]
        first = await world.repo.list(None, None, PageRequest(limit=2))
        rest = await world.repo.list(None, None, PageRequest.of(2, first.next_cursor))
        assert [s.id for s in rest.items] == [b.id] and rest.next_cursor is None


class TestMemory(SpecRepositoryContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        yield World(repo=InMemorySpecRepository(), commit=_noop)


async def _sql_world(url: str) -> AsyncIterator[World]:
    async with fresh_session(url) as session:
        yield World(repo=SqlSpecRepository(session), commit=session.commit)


class TestSqlite(SpecRepositoryContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(sqlite_url):
            yield world


class TestPostgres(SpecRepositoryContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(postgres_url):
            yield world
