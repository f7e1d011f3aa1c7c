"""What the report use cases return."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.domain.moderation.model import Report


class EvidenceLineView(msgspec.Struct, frozen=True):
    from_: str = msgspec.field(name="from")
    content: str
    created_at: datetime


class EvidenceView(msgspec.Struct, frozen=True):
    """What an anonymous_conversation report attached when filed."""

    transcript: list[EvidenceLineView]


def _evidence(report: Report) -> EvidenceView | None:
    if report.transcript is None:
        return None
    return EvidenceView(
        transcript=[
            EvidenceLineView(from_=line.from_, content=line.content, created_at=line.created_at)
            for line in report.transcript
        ]
    )


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    """A report as staff see it: who reported whom, its queue priority, the decision."""

    id: str
    reporter_id: str
    target_type: str
    target_id: str
    reported_user_id: str
    reason: str
    details: str | None
    excerpt: str | None
    status: str
    priority: int
    assignee_id: str | None
    decided_by: str | None
    decided_at: datetime | None
    action: str | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    evidence: EvidenceView | None = None  # anonymous_conversation reports only (else null)

    @classmethod
    def of(cls, report: Report) -> ReportView:
        return cls(
            id=report.id,
            reporter_id=report.reporter_id,
            target_type=report.target_type.value,
            target_id=report.target_id,
            reported_user_id=report.reported_user_id,
            reason=report.reason.value,
            details=report.details,
            excerpt=report.excerpt,
            status=report.status.value,
            priority=report.priority,
            assignee_id=report.assignee_id,
            decided_by=report.decided_by,
            decided_at=report.decided_at,
            action=report.action.value if report.action else None,
            note=report.note,
            created_at=report.created_at,
            updated_at=report.updated_at,
            evidence=_evidence(report),
        )


class ReportPageView(msgspec.Struct, frozen=True):
    items: list[ReportView]
    next_cursor: str | None
