"""Keeps the stored queue priority of open reports up to date, in the transaction that
changed what it depends on: a target's reports (`reprioritize`), or a reporter's accuracy,
which changes when one of their reports is decided or reopened (`reporter_changed`: every
target they have an open report on). The priority is stored rather than computed at read
time because the staff queue pages by it (keyset on priority, created_at, id) in SQL. The
policy itself is `domain/moderation/rules.py`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypehere.application.moderation.report_ports import ReporterRecord, ReportRepository
from hypehere.domain.moderation.model import OPEN_STATUSES, Report, ReportStatus, ReportTargetType
from hypehere.domain.moderation.rules import credibility, queue_priority
from hypehere.domain.shared.pagination import InvalidCursorError


async def reprioritize(
    reports: ReportRepository, target_type: ReportTargetType, target_id: str
) -> None:
    open_reports = await reports.open_for_target(target_type, target_id)
    reporter_ids = sorted({r.reporter_id for r in open_reports})
    records = await reports.reporter_records(reporter_ids)
    empty = ReporterRecord()
    credibilities = [
        credibility(records.get(rid, empty).upheld, records.get(rid, empty).decided)
        for rid in reporter_ids
    ]
    for report in open_reports:
        priority = queue_priority(report.reason, credibilities)
        if priority != report.priority:
            report.priority = priority
            await reports.save(report)


async def reporter_changed(reports: ReportRepository, reporter_id: str) -> None:
    """The reporter's accuracy changed: re-score every target they have open reports on."""
    for target_type, target_id in await reports.open_targets_of(reporter_id):
        await reprioritize(reports, target_type, target_id)


def report_sort_key(report: Report) -> tuple[Any, ...]:
    """The list order's key as a cursor holds it: open reports (priority, created_at, id),
    decided ones (decided_at, id)."""
    if report.is_open:
        return (report.priority, report.created_at.isoformat(), report.id)
    decided = report.decided_at or report.updated_at
    return (decided.isoformat(), report.id)


def parse_report_cursor(
    status: ReportStatus, key: tuple[Any, ...] | None
) -> tuple[Any, ...] | None:
    """The cursor key with its times parsed, checked against the list it pages
    (InvalidCursorError otherwise)."""
    if key is None:
        return None
    try:
        if status in OPEN_STATUSES:
            priority, created, report_id = key
            if not isinstance(priority, int) or isinstance(priority, bool):
                raise ValueError(priority)
            return (priority, _time(created), _text(report_id))
        decided, report_id = key
        return (_time(decided), _text(report_id))
    except (ValueError, TypeError) as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


def _time(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError(value)
    return parsed


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value
