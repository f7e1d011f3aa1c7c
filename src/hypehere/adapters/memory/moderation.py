"""In-memory moderation storage and fakes of the ports other modules implement (unit tests
and the contract suites' reference adapter)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from hypehere.application.common.actor import Actor
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.moderation.audit_trail import audit_sort_key, parse_time_cursor
from hypehere.application.moderation.list_appeals import appeal_sort_key
from hypehere.application.moderation.report_ports import ReportedTarget, ReporterRecord
from hypehere.application.moderation.report_queue import parse_report_cursor, report_sort_key
from hypehere.domain.moderation.audit import AuditEntry
from hypehere.domain.moderation.errors import ActionNotApplicableError
from hypehere.domain.moderation.model import (
    OPEN_STATUSES,
    Report,
    ReportStatus,
    ReportTargetType,
)
from hypehere.domain.moderation.specs import Spec, SpecStatus
from hypehere.domain.moderation.strikes import AppealStatus, Strike
from hypehere.domain.moderation.verdicts import ReviewStatus, ScannedItem
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows


def _open_key(report: Report) -> tuple[str, str, str] | None:
    if not report.is_open:
        return None
    return (report.reporter_id, report.target_type.value, report.target_id)


def _ordered(reports: list[Report], status: ReportStatus) -> list[Report]:
    """The list order: open ones by priority (high first), then oldest, then id; decided
    ones latest decision first, then id descending."""
    if status in OPEN_STATUSES:
        return sorted(reports, key=lambda r: (-r.priority, r.created_at, r.id))
    by_id = sorted(reports, key=lambda r: r.id, reverse=True)
    return sorted(by_id, key=lambda r: r.decided_at or r.updated_at, reverse=True)


class InMemoryReportRepository:
    def __init__(self) -> None:
        self.reports: dict[str, Report] = {}

    def _conflicts(self, report: Report) -> bool:
        key = _open_key(report)
        return key is not None and any(
            _open_key(other) == key for other in self.reports.values() if other.id != report.id
        )

    async def add(self, report: Report) -> None:
        if report.id in self.reports or self._conflicts(report):
            raise StorageConflictError("An open report by this reporter on this target exists")
        self.reports[report.id] = copy.deepcopy(report)

    async def get(self, report_id: str) -> Report | None:
        stored = self.reports.get(report_id)
        return copy.deepcopy(stored) if stored else None

    async def save(self, report: Report) -> None:
        if self._conflicts(report):
            raise StorageConflictError("An open report by this reporter on this target exists")
        self.reports[report.id] = copy.deepcopy(report)

    async def open_exists(
        self, reporter_id: str, target_type: ReportTargetType, target_id: str
    ) -> bool:
        key = (reporter_id, target_type.value, target_id)
        return any(_open_key(r) == key for r in self.reports.values())

    async def open_for_target(
        self, target_type: ReportTargetType, target_id: str
    ) -> Sequence[Report]:
        found = [
            r
            for r in self.reports.values()
            if r.is_open and r.target_type is target_type and r.target_id == target_id
        ]
        found.sort(key=lambda r: (r.created_at, r.id))
        return [copy.deepcopy(r) for r in found]

    async def open_targets_of(self, reporter_id: str) -> Sequence[tuple[ReportTargetType, str]]:
        found = {
            (r.target_type, r.target_id)
            for r in self.reports.values()
            if r.is_open and r.reporter_id == reporter_id
        }
        return sorted(found, key=lambda t: (t[0].value, t[1]))

    async def reporter_records(self, reporter_ids: Sequence[str]) -> dict[str, ReporterRecord]:
        wanted = set(reporter_ids)
        upheld: dict[str, int] = {}
        decided: dict[str, int] = {}
        for r in self.reports.values():
            if r.reporter_id in wanted and not r.is_open:
                decided[r.reporter_id] = decided.get(r.reporter_id, 0) + 1
                if r.status is ReportStatus.RESOLVED:
                    upheld[r.reporter_id] = upheld.get(r.reporter_id, 0) + 1
        return {
            rid: ReporterRecord(upheld=upheld.get(rid, 0), decided=count)
            for rid, count in decided.items()
        }

    async def list_by_status(self, status: ReportStatus, page: PageRequest) -> Page[Report]:
        after = parse_report_cursor(status, page.cursor)
        rows = _ordered([r for r in self.reports.values() if r.status is status], status)
        if after is not None:
            rows = [r for r in rows if _after(r, after, status)]
        return page_from_rows(
            [copy.deepcopy(r) for r in rows[: page.limit + 1]], page.limit, report_sort_key
        )


def _after(report: Report, key: tuple[object, ...], status: ReportStatus) -> bool:
    if status in OPEN_STATUSES:
        priority, created, report_id = key
        mine = (-report.priority, report.created_at, report.id)
        return mine > (-priority, created, report_id)  # type: ignore[operator]
    decided_at, report_id = key
    decided = report.decided_at or report.updated_at
    return decided < decided_at or (decided == decided_at and report.id < report_id)  # type: ignore[operator]


@dataclass
class InMemoryReportTargets:
    """Reportable things registered by tests: (type, id) -> owner, excerpt, and who may
    see it (None: everyone)."""

    items: dict[tuple[ReportTargetType, str], tuple[ReportedTarget, set[str] | None]] = field(
        default_factory=dict
    )

    def put(
        self,
        target_type: ReportTargetType,
        target_id: str,
        owner_id: str,
        excerpt: str = "",
        visible_to: set[str] | None = None,
    ) -> None:
        self.items[(target_type, target_id)] = (
            ReportedTarget(owner_id=owner_id, excerpt=excerpt, text=excerpt),
            visible_to,
        )

    async def locate(
        self, viewer: Actor, target_type: ReportTargetType, target_id: str
    ) -> ReportedTarget | None:
        found = self.items.get((target_type, target_id))
        if found is None:
            return None
        target, visible_to = found
        if visible_to is not None and viewer.user_id not in visible_to:
            return None
        return target


REMOVABLE_CONTENT = frozenset(
    {
        ReportTargetType.POST,
        ReportTargetType.COMMENT,
        ReportTargetType.MESSAGE,
        ReportTargetType.ROOM_MESSAGE,
    }
)


@dataclass
class InMemoryContentRemoval:
    removed: list[tuple[ReportTargetType, str]] = field(default_factory=list)

    async def remove(self, actor: Actor, target_type: ReportTargetType, target_id: str) -> bool:
        if target_type not in REMOVABLE_CONTENT:
            raise ActionNotApplicableError("remove_content applies to posts, comments, messages")
        if (target_type, target_id) in self.removed:
            return False
        self.removed.append((target_type, target_id))
        return True


@dataclass
class InMemoryHeldContent:
    """`HeldContent` over a set of held (type, id): `release` empties it item by item."""

    held: set[tuple[ReportTargetType, str]] = field(default_factory=set)
    released: list[tuple[ReportTargetType, str]] = field(default_factory=list)

    async def waiting(
        self, actor: Actor, before: datetime, limit: int
    ) -> Sequence[tuple[ReportTargetType, str, str]]:
        return [(t, i, "und") for t, i in sorted(self.held)][:limit]

    async def release(self, actor: Actor, content_type: ReportTargetType, content_id: str) -> bool:
        if (content_type, content_id) not in self.held:
            return False
        self.held.discard((content_type, content_id))
        self.released.append((content_type, content_id))
        return True


class InMemoryAuditLog:
    """Append-only, like the SQL log: no update, no delete."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def append(self, entry: AuditEntry) -> None:
        if any(e.id == entry.id for e in self.entries):
            raise StorageConflictError("The audit entry exists")
        self.entries.append(entry)

    async def list(
        self, actor_id: str | None, target_id: str | None, page: PageRequest
    ) -> Page[AuditEntry]:
        after = parse_time_cursor(page.cursor)
        rows = [
            e
            for e in self.entries
            if (actor_id is None or e.actor_id == actor_id)
            and (target_id is None or e.target_id == target_id)
            and (after is None or (e.created_at, e.id) < after)
        ]
        by_id = sorted(rows, key=lambda e: e.id, reverse=True)
        rows = sorted(by_id, key=lambda e: e.created_at, reverse=True)
        return page_from_rows(rows[: page.limit + 1], page.limit, audit_sort_key)


class InMemoryStrikeRepository:
    def __init__(self) -> None:
        self.strikes: dict[str, Strike] = {}

    async def add(self, strike: Strike) -> None:
        if strike.id in self.strikes:
            raise StorageConflictError("The strike exists")
        self.strikes[strike.id] = copy.deepcopy(strike)

    async def get(self, strike_id: str) -> Strike | None:
        stored = self.strikes.get(strike_id)
        return copy.deepcopy(stored) if stored else None

    async def save(self, strike: Strike) -> None:
        appeal_id = strike.appeal.id if strike.appeal else None
        if appeal_id is not None and any(
            s.appeal is not None and s.appeal.id == appeal_id and s.id != strike.id
            for s in self.strikes.values()
        ):
            raise StorageConflictError("The appeal exists")
        self.strikes[strike.id] = copy.deepcopy(strike)

    async def for_user(self, user_id: str) -> Sequence[Strike]:
        mine = [s for s in self.strikes.values() if s.user_id == user_id]
        mine.sort(key=lambda s: (s.created_at, s.id), reverse=True)
        return [copy.deepcopy(s) for s in mine]

    async def by_appeal(self, appeal_id: str) -> Strike | None:
        for strike in self.strikes.values():
            if strike.appeal is not None and strike.appeal.id == appeal_id:
                return copy.deepcopy(strike)
        return None

    async def appeals(self, status: AppealStatus, page: PageRequest) -> Page[Strike]:
        after = parse_time_cursor(page.cursor)
        rows = [
            s
            for s in self.strikes.values()
            if s.appeal is not None
            and s.appeal.status is status
            and (after is None or (s.appeal.created_at, s.appeal.id) > after)
        ]
        rows.sort(key=_appeal_key)
        return page_from_rows(
            [copy.deepcopy(s) for s in rows[: page.limit + 1]], page.limit, appeal_sort_key
        )


def _appeal_key(strike: Strike) -> tuple[datetime, str]:
    appeal = strike.appeal
    return (appeal.created_at, appeal.id) if appeal else (datetime.min, "")


class InMemoryScannedItems:
    def __init__(self) -> None:
        self.items: dict[str, ScannedItem] = {}

    async def add(self, item: ScannedItem) -> bool:
        if any(
            i.content_type == item.content_type and i.content_id == item.content_id
            for i in self.items.values()
        ):
            return False
        self.items[item.id] = copy.deepcopy(item)
        return True

    async def for_content(self, content_type: str, content_id: str) -> ScannedItem | None:
        for item in self.items.values():
            if item.content_type == content_type and item.content_id == content_id:
                return copy.deepcopy(item)
        return None

    async def get(self, item_id: str) -> ScannedItem | None:
        stored = self.items.get(item_id)
        return copy.deepcopy(stored) if stored else None

    async def save(self, item: ScannedItem) -> None:
        self.items[item.id] = copy.deepcopy(item)

    async def by_status(self, status: ReviewStatus, page: PageRequest) -> Page[ScannedItem]:
        after = parse_time_cursor(page.cursor)
        rows = sorted(
            (
                i
                for i in self.items.values()
                if i.status is status and (after is None or (i.created_at, i.id) > after)
            ),
            key=lambda i: (i.created_at, i.id),
        )
        return page_from_rows(
            [copy.deepcopy(i) for i in rows[: page.limit + 1]],
            page.limit,
            lambda i: (i.created_at.isoformat(), i.id),
        )


class InMemorySpecRepository:
    def __init__(self) -> None:
        self.specs: dict[str, Spec] = {}

    async def add(self, spec: Spec) -> None:
        self.specs[spec.id] = copy.deepcopy(spec)

    async def get(self, spec_id: str) -> Spec | None:
        stored = self.specs.get(spec_id)
        return copy.deepcopy(stored) if stored else None

    async def save(self, spec: Spec) -> None:
        self.specs[spec.id] = copy.deepcopy(spec)

    async def list(
        self, status: SpecStatus | None, category: str | None, page: PageRequest
    ) -> Page[Spec]:
        after = parse_time_cursor(page.cursor)
        rows = [
            s
            for s in self.specs.values()
            if (status is None or s.status is status)
            and (category is None or s.category == category)
            and (after is None or (s.updated_at, s.id) < after)
        ]
        rows.sort(key=lambda s: (s.updated_at, s.id), reverse=True)
        return page_from_rows(
            [copy.deepcopy(s) for s in rows[: page.limit + 1]],
            page.limit,
            lambda s: (s.updated_at.isoformat(), s.id),
        )
