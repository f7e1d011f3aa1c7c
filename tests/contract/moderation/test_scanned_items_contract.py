"""ScannedItems contract: memory, SQLite, PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hypehere.adapters.memory.moderation import InMemoryScannedItems
from hypehere.adapters.sql.moderation.scanned import SqlScannedItems
from hypehere.domain.moderation.verdicts import Category, ReviewStatus, ScannedItem, Verdict
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import PageRequest
from tests.conftest import fresh_session

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class World:
    items: Any
    commit: Any


async def _noop() -> None:
    return None


def item(
    content_id: str, at: datetime = NOW, status: ReviewStatus = ReviewStatus.PENDING
) -> ScannedItem:
    return ScannedItem(
        id=new_id(),
        content_type="post",
        content_id=content_id,
        author_id="alice",
        excerpt="text",
        verdict=Verdict(Category.SCAM, 0.75, "money request", "rules", "rules-1"),
        status=status,
        created_at=at,
    )


class ScannedItemsContract:
    async def test_one_item_per_content_and_round_trip(self, world: World) -> None:
        first = item("p1")
        assert await world.items.add(first) is True
        assert await world.items.add(item("p1")) is False
        await world.commit()
        assert await world.items.get(first.id) == first
        first.decide("mod", True, NOW + timedelta(minutes=1))
        await world.items.save(first)
        await world.commit()
        assert await world.items.get(first.id) == first
        assert await world.items.get(new_id()) is None
        assert await world.items.for_content("post", "p1") == first
        assert await world.items.for_content("comment", "p1") is None
        assert await world.items.for_content("post", "p2") is None

    async def test_by_status_oldest_first_pages(self, world: World) -> None:
        a = item("p1", NOW + timedelta(seconds=2))
        b = item("p2", NOW)
        c = item("p3", NOW + timedelta(seconds=1), ReviewStatus.CLEAR)
        d = item("p4", NOW + timedelta(seconds=3))
        for i in (a, b, c, d):
            await world.items.add(i)
        await world.commit()
        first = await world.items.by_status(ReviewStatus.PENDING, PageRequest(limit=2))
        assert [i.id for i in first.items] == [b.id, a.id]
        rest = await world.items.by_status(
            ReviewStatus.PENDING, PageRequest.of(2, first.next_cursor)
        )
        assert [i.id for i in rest.items] == [d.id] and rest.next_cursor is None
        clear = await world.items.by_status(ReviewStatus.CLEAR, PageRequest())
        assert [i.id for i in clear.items] == [c.id]


class TestMemory(ScannedItemsContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        yield World(items=InMemoryScannedItems(), commit=_noop)


async def _sql_world(url: str) -> AsyncIterator[World]:
    async with fresh_session(url) as session:
        yield World(items=SqlScannedItems(session), commit=session.commit)


class TestSqlite(ScannedItemsContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(sqlite_url):
            yield world


class TestPostgres(ScannedItemsContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(postgres_url):
            yield world
