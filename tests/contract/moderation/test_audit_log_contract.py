"""AuditLog contract: memory, SQLite, PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hypehere.adapters.memory.moderation import InMemoryAuditLog
from hypehere.adapters.sql.moderation.audit import SqlAuditLog
from hypehere.application.common.errors import StorageConflictError
from hypehere.domain.moderation.audit import AuditEntry, AuditTarget
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest
from tests.conftest import fresh_session

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class World:
    log: Any
    commit: Any


async def _noop() -> None:
    return None


def entry(actor: str, target: str, at: datetime = NOW, action: str = "ban") -> AuditEntry:
    return AuditEntry(
        id=new_id(),
        actor_id=actor,
        action=action,
        target_type=AuditTarget.USER,
        target_id=target,
        reason="why",
        detail="what",
        created_at=at,
    )


class AuditLogContract:
    async def test_append_and_list_newest_first(self, world: World) -> None:
        entries = [
            entry("s1", "u1", NOW),
            entry("s2", "u1", NOW + timedelta(seconds=2)),
            entry("s1", "u2", NOW + timedelta(seconds=1)),
            entry("s1", "u1", NOW + timedelta(seconds=1)),
        ]
        for e in entries:
            await world.log.append(e)
        await world.commit()
        same = sorted([entries[2], entries[3]], key=lambda e: e.id, reverse=True)
        expected = [entries[1], *same, entries[0]]
        page = await world.log.list(None, None, PageRequest())
        assert page.items == expected and page.next_cursor is None
        seen: list[AuditEntry] = []
        page = await world.log.list(None, None, PageRequest(limit=1))
        while True:
            seen += page.items
            if page.next_cursor is None:
                break
            page = await world.log.list(None, None, PageRequest.of(1, page.next_cursor))
        assert seen == expected

    async def test_filters(self, world: World) -> None:
        a = entry("s1", "u1")
        b = entry("s2", "u1", NOW + timedelta(seconds=1))
        c = entry("s1", "u2", NOW + timedelta(seconds=2))
        for e in (a, b, c):
            await world.log.append(e)
        await world.commit()
        assert (await world.log.list("s1", None, PageRequest())).items == [c, a]
        assert (await world.log.list(None, "u1", PageRequest())).items == [b, a]
        assert (await world.log.list("s2", "u1", PageRequest())).items == [b]
        assert (await world.log.list("s2", "u2", PageRequest())).items == []

    async def test_ids_are_unique_and_cursors_checked(self, world: World) -> None:
        a = entry("s1", "u1")
        await world.log.append(a)
        await world.commit()
        with pytest.raises(InvalidCursorError):
            await world.log.list(None, None, PageRequest(cursor=("yesterday", "x")))
        with pytest.raises(StorageConflictError):
            await world.log.append(a)


class TestMemory(AuditLogContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        yield World(log=InMemoryAuditLog(), commit=_noop)


async def _sql_world(url: str) -> AsyncIterator[World]:
    async with fresh_session(url) as session:
        yield World(log=SqlAuditLog(session), commit=session.commit)


class TestSqlite(AuditLogContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(sqlite_url):
            yield world


class TestPostgres(AuditLogContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(postgres_url):
            yield world
