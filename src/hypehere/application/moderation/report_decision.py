"""Shared by the staff decisions on a report: the command's shape, loading the report (404),
the note, and storing a decision with its audit entry (and, for the final ones, the
`ReportDecided` event that tells the reporter)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.domain.moderation.audit import AuditTarget
from hypehere.domain.moderation.errors import ReportNotFoundError
from hypehere.domain.moderation.events import ReportDecided
from hypehere.domain.moderation.model import Report
from hypehere.domain.shared.errors import InvalidInputError

MAX_NOTE = 2000


class ActOnReport(msgspec.Struct, frozen=True, kw_only=True):
    """Staff `actor` acts on the report `report_id` (review, resolve, dismiss, reopen)."""

    actor: Actor
    report_id: str


async def load_report(reports: ReportRepository, report_id: str) -> Report:
    report = await reports.get(report_id)
    if report is None:
        raise ReportNotFoundError("The report was not found")
    return report


def clean_note(note: str) -> str:
    text = note.strip()
    if not text:
        raise InvalidInputError("note must not be empty", field="note")
    if len(text) > MAX_NOTE:
        raise InvalidInputError(f"note must have at most {MAX_NOTE} characters", field="note")
    return text


async def save_decision(
    reports: ReportRepository,
    audit: AuditLog,
    actor: Actor,
    report: Report,
    action: str,
    at: datetime,
    *,
    reason: str | None = None,
    detail: str | None = None,
) -> None:
    """Store `report` as `actor` just changed it, with the audit entry `action` on it."""
    await record(
        audit, actor, action, AuditTarget.REPORT, report.id, at, reason=reason, detail=detail
    )
    await reports.save(report)


async def announce_decision(outbox: OutboxWriter, report: Report, at: datetime) -> None:
    """The report is decided (resolved or dismissed): the reporter hears of it."""
    await outbox.add(
        ReportDecided(
            occurred_at=at,
            report_id=report.id,
            reporter_id=report.reporter_id,
            status=report.status.value,
            filed_at=report.created_at,
        )
    )
