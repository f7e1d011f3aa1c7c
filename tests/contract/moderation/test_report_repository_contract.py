"""ReportRepository contract: memory, SQLite, PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hypehere.adapters.memory.moderation import InMemoryReportRepository
from hypehere.adapters.sql.moderation.repositories import SqlReportRepository
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.moderation.report_ports import ReporterRecord
from hypehere.domain.moderation.model import (
    Report,
    ReportReason,
    ReportStatus,
    ReportTargetType,
    ResolveAction,
    TranscriptLine,
)
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


def make(
    reporter: str,
    target: str,
    *,
    at: datetime = NOW,
    priority: int = 0,
    kind: ReportTargetType = ReportTargetType.POST,
    reason: ReportReason = ReportReason.SPAM,
) -> Report:
    return Report(
        id=new_id(),
        reporter_id=reporter,
        target_type=kind,
        target_id=target,
        reported_user_id="author",
        reason=reason,
        details="details",
        created_at=at,
        updated_at=at,
        priority=priority,
    )


class ReportRepositoryContract:
    async def test_round_trip_and_save(self, world: World) -> None:
        report = make("r1", "t1", priority=42)
        await world.repo.add(report)
        await world.commit()
        assert await world.repo.get(report.id) == report
        assert await world.repo.get(new_id()) is None
        report.review("staff", NOW + timedelta(minutes=1))
        report.resolve("staff", ResolveAction.WARN, "noted", NOW + timedelta(minutes=2))
        await world.repo.save(report)
        await world.commit()
        assert await world.repo.get(report.id) == report

    async def test_an_anonymous_conversation_report_keeps_its_transcript(
        self, world: World
    ) -> None:
        report = make("r1", "c1", kind=ReportTargetType.ANONYMOUS_CONVERSATION)
        report.transcript = (
            TranscriptLine(from_="reporter", content="hi", created_at=NOW),
            TranscriptLine(from_="reported", content='안녕 "quoted"', created_at=NOW),
        )
        empty = make("r2", "c1", kind=ReportTargetType.ANONYMOUS_CONVERSATION)
        empty.transcript = ()
        await world.repo.add(report)
        await world.repo.add(empty)
        await world.commit()
        assert await world.repo.get(report.id) == report
        assert (await world.repo.get(empty.id)) == empty
        listed = await world.repo.list_by_status(ReportStatus.PENDING, PageRequest(limit=10))
        assert {r.id: r.transcript for r in listed.items}[report.id] == report.transcript

    async def test_one_open_report_per_reporter_and_target(self, world: World) -> None:
        first = make("r1", "t1")
        await world.repo.add(first)
        await world.repo.add(make("r1", "t1", kind=ReportTargetType.COMMENT))
        await world.repo.add(make("r2", "t1"))
        await world.commit()
        assert await world.repo.open_exists("r1", ReportTargetType.POST, "t1") is True
        assert await world.repo.open_exists("r3", ReportTargetType.POST, "t1") is False
        with pytest.raises(StorageConflictError):
            await world.repo.add(make("r1", "t1"))

    async def test_decided_reports_free_the_slot(self, world: World) -> None:
        first = make("r1", "t1")
        await world.repo.add(first)
        await world.commit()
        first.dismiss("staff", "no", NOW)
        await world.repo.save(first)
        await world.commit()
        assert await world.repo.open_exists("r1", ReportTargetType.POST, "t1") is False
        await world.repo.add(make("r1", "t1"))
        await world.commit()
        first.reopen(NOW)
        with pytest.raises(StorageConflictError):
            await world.repo.save(first)

    async def test_open_for_target_and_reporter_records(self, world: World) -> None:
        a = make("r1", "t1", at=NOW)
        b = make("r2", "t1", at=NOW + timedelta(seconds=1))
        c = make("r1", "t2")
        d = make("r1", "t3")
        e = make("r2", "t4")
        for report in (a, b, c, d, e):
            await world.repo.add(report)
        await world.commit()
        c.resolve("staff", ResolveAction.NONE, "ok", NOW)
        d.dismiss("staff", "no", NOW)
        e.resolve("staff", ResolveAction.BAN, "ok", NOW)
        for report in (c, d, e):
            await world.repo.save(report)
        await world.commit()
        found = await world.repo.open_for_target(ReportTargetType.POST, "t1")
        assert [r.id for r in found] == [a.id, b.id]
        assert await world.repo.open_for_target(ReportTargetType.COMMENT, "t1") == []
        records = await world.repo.reporter_records(["r1", "r2", "r9"])
        assert records == {
            "r1": ReporterRecord(upheld=1, decided=2),
            "r2": ReporterRecord(upheld=1, decided=1),
        }
        assert await world.repo.reporter_records([]) == {}
        assert await world.repo.open_targets_of("r1") == [(ReportTargetType.POST, "t1")]
        assert await world.repo.open_targets_of("r2") == [(ReportTargetType.POST, "t1")]
        assert await world.repo.open_targets_of("r9") == []

    async def test_open_list_in_queue_order_pages(self, world: World) -> None:
        reports = [
            make("r1", "t1", priority=10, at=NOW),
            make("r2", "t2", priority=30, at=NOW + timedelta(seconds=5)),
            make("r3", "t3", priority=10, at=NOW - timedelta(seconds=5)),
            make("r4", "t4", priority=20, at=NOW),
            make("r5", "t5", priority=10, at=NOW),
        ]
        for report in reports:
            await world.repo.add(report)
        await world.commit()
        same_time = sorted([reports[0].id, reports[4].id])
        expected = [reports[1].id, reports[3].id, reports[2].id, *same_time]
        seen: list[str] = []
        page = await world.repo.list_by_status(ReportStatus.PENDING, PageRequest(limit=2))
        while True:
            seen += [r.id for r in page.items]
            if page.next_cursor is None:
                break
            page = await world.repo.list_by_status(
                ReportStatus.PENDING, PageRequest.of(2, page.next_cursor)
            )
        assert seen == expected
        reviewing = await world.repo.list_by_status(ReportStatus.REVIEWING, PageRequest())
        assert reviewing.items == []

    async def test_decided_list_latest_decision_first(self, world: World) -> None:
        reports = [make(f"r{i}", f"t{i}") for i in range(4)]
        for report in reports:
            await world.repo.add(report)
        await world.commit()
        for i, report in enumerate(reports):
            report.resolve("staff", ResolveAction.WARN, "ok", NOW + timedelta(minutes=i % 2))
            await world.repo.save(report)
        await world.commit()
        late = sorted([reports[1].id, reports[3].id], reverse=True)
        early = sorted([reports[0].id, reports[2].id], reverse=True)
        first = await world.repo.list_by_status(ReportStatus.RESOLVED, PageRequest(limit=3))
        assert [r.id for r in first.items] == [*late, early[0]]
        rest = await world.repo.list_by_status(
            ReportStatus.RESOLVED, PageRequest.of(3, first.next_cursor)
        )
        assert [r.id for r in rest.items] == [early[1]]
        assert rest.next_cursor is None
        with pytest.raises(InvalidCursorError):
            await world.repo.list_by_status(
                ReportStatus.PENDING, PageRequest.of(3, first.next_cursor)
            )


class TestMemory(ReportRepositoryContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        yield World(repo=InMemoryReportRepository(), commit=_noop)


async def _sql_world(url: str) -> AsyncIterator[World]:
    async with fresh_session(url) as session:
        yield World(repo=SqlReportRepository(session), commit=session.commit)


class TestSqlite(ReportRepositoryContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(sqlite_url):
            yield world


class TestPostgres(ReportRepositoryContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(postgres_url):
            yield world
