"""SQL report storage (PostgreSQL and SQLite)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.moderation.evidence import decode_transcript, encode_transcript
from hypehere.adapters.sql.moderation.tables import ReportRow
from hypehere.application.moderation.report_ports import ReporterRecord
from hypehere.application.moderation.report_queue import parse_report_cursor, report_sort_key
from hypehere.domain.moderation.model import (
    OPEN_STATUSES,
    Report,
    ReportReason,
    ReportStatus,
    ReportTargetType,
    ResolveAction,
)
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows

reports_t = ReportRow.__table__  # type: ignore[attr-defined]
OPEN_VALUES = sorted(s.value for s in OPEN_STATUSES)


def open_key(reporter_id: str, target_type: ReportTargetType, target_id: str) -> str:
    return f"{reporter_id}:{target_type.value}:{target_id}"


def _from_domain(r: Report) -> dict[str, Any]:
    return {
        "id": r.id,
        "reporter_id": r.reporter_id,
        "target_type": r.target_type.value,
        "target_id": r.target_id,
        "reported_user_id": r.reported_user_id,
        "reason": r.reason.value,
        "details": r.details,
        "status": r.status.value,
        "priority": r.priority,
        "open_key": open_key(r.reporter_id, r.target_type, r.target_id) if r.is_open else None,
        "assignee_id": r.assignee_id,
        "decided_by": r.decided_by,
        "decided_at": r.decided_at,
        "action": r.action.value if r.action else None,
        "note": r.note,
        "excerpt": r.excerpt,
        "evidence": encode_transcript(r.transcript),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def _to_domain(row: Any) -> Report:
    return Report(
        id=row.id,
        reporter_id=row.reporter_id,
        target_type=ReportTargetType(row.target_type),
        target_id=row.target_id,
        reported_user_id=row.reported_user_id,
        reason=ReportReason(row.reason),
        details=row.details,
        status=ReportStatus(row.status),
        priority=int(row.priority),
        assignee_id=row.assignee_id,
        decided_by=row.decided_by,
        decided_at=ensure_utc(row.decided_at) if row.decided_at else None,
        action=ResolveAction(row.action) if row.action else None,
        note=row.note,
        excerpt=row.excerpt,
        transcript=decode_transcript(row.evidence),
        created_at=ensure_utc(row.created_at),
        updated_at=ensure_utc(row.updated_at),
    )


class SqlReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, report: Report) -> None:
        async with translate_errors():
            await self._session.execute(reports_t.insert().values(**_from_domain(report)))

    async def get(self, report_id: str) -> Report | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(reports_t).where(reports_t.c.id == report_id))
            ).first()
        return _to_domain(row) if row else None

    async def save(self, report: Report) -> None:
        values = _from_domain(report)
        values.pop("id")
        async with translate_errors():
            await self._session.execute(
                update(reports_t).where(reports_t.c.id == report.id).values(**values)
            )

    async def open_exists(
        self, reporter_id: str, target_type: ReportTargetType, target_id: str
    ) -> bool:
        key = open_key(reporter_id, target_type, target_id)
        async with translate_errors():
            found = (
                await self._session.execute(
                    select(reports_t.c.id).where(reports_t.c.open_key == key).limit(1)
                )
            ).first()
        return found is not None

    async def open_for_target(
        self, target_type: ReportTargetType, target_id: str
    ) -> Sequence[Report]:
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(reports_t)
                    .where(
                        reports_t.c.target_type == target_type.value,
                        reports_t.c.target_id == target_id,
                        reports_t.c.status.in_(OPEN_VALUES),
                    )
                    .order_by(reports_t.c.created_at, reports_t.c.id)
                )
            ).all()
        return [_to_domain(row) for row in rows]

    async def open_targets_of(self, reporter_id: str) -> Sequence[tuple[ReportTargetType, str]]:
        t = reports_t
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(t.c.target_type, t.c.target_id)
                    .where(t.c.reporter_id == reporter_id, t.c.status.in_(OPEN_VALUES))
                    .distinct()
                    .order_by(t.c.target_type, t.c.target_id)
                )
            ).all()
        return [(ReportTargetType(row.target_type), row.target_id) for row in rows]

    async def reporter_records(self, reporter_ids: Sequence[str]) -> dict[str, ReporterRecord]:
        if not reporter_ids:
            return {}
        upheld = func.sum(case((reports_t.c.status == ReportStatus.RESOLVED.value, 1), else_=0))
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(reports_t.c.reporter_id, upheld, func.count())
                    .where(
                        reports_t.c.reporter_id.in_(list(reporter_ids)),
                        reports_t.c.status.not_in(OPEN_VALUES),
                    )
                    .group_by(reports_t.c.reporter_id)
                )
            ).all()
        return {
            rid: ReporterRecord(upheld=int(up or 0), decided=int(total)) for rid, up, total in rows
        }

    async def list_by_status(self, status: ReportStatus, page: PageRequest) -> Page[Report]:
        after = parse_report_cursor(status, page.cursor)
        t = reports_t
        query = select(t).where(t.c.status == status.value)
        if status in OPEN_STATUSES:
            if after is not None:
                priority, created, report_id = after
                query = query.where(
                    or_(
                        t.c.priority < priority,
                        and_(t.c.priority == priority, t.c.created_at > created),
                        and_(
                            t.c.priority == priority,
                            t.c.created_at == created,
                            t.c.id > report_id,
                        ),
                    )
                )
            query = query.order_by(t.c.priority.desc(), t.c.created_at, t.c.id)
        else:
            if after is not None:
                decided_at, report_id = after
                query = query.where(
                    or_(
                        t.c.decided_at < decided_at,
                        and_(t.c.decided_at == decided_at, t.c.id < report_id),
                    )
                )
            query = query.order_by(t.c.decided_at.desc(), t.c.id.desc())
        async with translate_errors():
            rows = (await self._session.execute(query.limit(page.limit + 1))).all()
        return page_from_rows([_to_domain(r) for r in rows], page.limit, report_sort_key)
