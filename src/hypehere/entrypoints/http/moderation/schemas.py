"""Request and response bodies of `/reports` and `/admin/reports`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.moderation.list_audit_log import AuditEntryView
from hypehere.application.moderation.report_views import EvidenceView, ReportView

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Word = Annotated[str, msgspec.Meta(max_length=32)]
Note = Annotated[str, msgspec.Meta(max_length=2000)]


class ReportIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    target_type: Word
    target_id: Id
    reason: Word
    details: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class ReportOut(msgspec.Struct, frozen=True):
    """What the reporter sees of their report (never who it is against)."""

    id: str
    target_type: str
    target_id: str
    reason: str
    details: str | None
    status: str
    created_at: datetime

    @classmethod
    def of(cls, view: ReportView) -> ReportOut:
        return cls(
            id=view.id,
            target_type=view.target_type,
            target_id=view.target_id,
            reason=view.reason,
            details=view.details,
            status=view.status,
            created_at=view.created_at,
        )


class AdminReportOut(msgspec.Struct, frozen=True, kw_only=True):
    """A report as staff see it: who reported whom, its queue priority, the decision;
    an anonymous_conversation report carries `evidence: {transcript: [{from: reporter|
    reported, content, created_at}]}` (the transcript when it was filed; null on others)."""

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
    evidence: EvidenceView | None = None

    @classmethod
    def of(cls, view: ReportView) -> AdminReportOut:
        return cls(**msgspec.structs.asdict(view))


class AdminReportPageOut(msgspec.Struct, frozen=True):
    items: list[AdminReportOut]
    next_cursor: str | None


class ResolveIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    action: Word
    note: Note
    suspend_days: int | None = None


class DismissIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    note: Note


class AuditEntryOut(msgspec.Struct, frozen=True, kw_only=True):
    """One staff action: who (`actor_id`), when (`created_at`), what (`action`, `detail`),
    on what (`target_type`, `target_id`), why (`reason`)."""

    id: str
    actor_id: str
    action: str
    target_type: str
    target_id: str
    reason: str | None
    detail: str | None
    created_at: datetime

    @classmethod
    def of(cls, view: AuditEntryView) -> AuditEntryOut:
        return cls(**msgspec.structs.asdict(view))


class AuditPageOut(msgspec.Struct, frozen=True):
    items: list[AuditEntryOut]
    next_cursor: str | None
