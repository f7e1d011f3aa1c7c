"""Reports: who reported what, why, and what staff decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hypehere.domain.moderation.errors import ReportStateError


class ReportTargetType(StrEnum):
    POST = "post"
    COMMENT = "comment"
    USER = "user"
    MESSAGE = "message"
    ANONYMOUS_CONVERSATION = "anonymous_conversation"
    # an open room's title, held by automatic moderation (not reportable: `REPORTABLE`)
    ROOM = "room"
    # a message in an open room, scanned or held by automatic moderation (not reportable)
    ROOM_MESSAGE = "room_message"


REPORTABLE = frozenset(ReportTargetType) - {ReportTargetType.ROOM, ReportTargetType.ROOM_MESSAGE}


class ReportReason(StrEnum):
    SPAM = "spam"
    HATE = "hate"
    HARASSMENT = "harassment"
    VIOLENCE = "violence"
    NSFW = "nsfw"
    OTHER = "other"


class ReportStatus(StrEnum):
    PENDING = "pending"
    REVIEWING = "reviewing"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


OPEN_STATUSES = frozenset({ReportStatus.PENDING, ReportStatus.REVIEWING})


class ResolveAction(StrEnum):
    NONE = "none"
    WARN = "warn"
    REMOVE_CONTENT = "remove_content"
    SUSPEND = "suspend"
    BAN = "ban"


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One message of an anonymous conversation's transcript as a report keeps it:
    `from_` is "reporter" or "reported"."""

    from_: str
    content: str
    created_at: datetime


@dataclass(slots=True)
class Report:
    """One reporter's report on one target. Open (pending or reviewing) until a staff member
    resolves or dismisses it; a decided report can be reopened. `priority` is the queue
    score (`rules.queue_priority`), kept on the report so the queue pages by it."""

    id: str
    reporter_id: str
    target_type: ReportTargetType
    target_id: str
    reported_user_id: str
    reason: ReportReason
    details: str | None
    created_at: datetime
    updated_at: datetime
    status: ReportStatus = ReportStatus.PENDING
    priority: int = 0
    assignee_id: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    action: ResolveAction | None = None
    note: str | None = None
    excerpt: str | None = None  # the reported text when filed (what a strike quotes)
    # anonymous_conversation reports: the transcript when filed (evidence for staff)
    transcript: tuple[TranscriptLine, ...] | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def review(self, moderator_id: str, now: datetime) -> None:
        """Assign the open report to `moderator_id` (taking it over from another)."""
        if not self.is_open:
            raise ReportStateError("Only an open report can be reviewed")
        self.status = ReportStatus.REVIEWING
        self.assignee_id = moderator_id
        self.updated_at = now

    def resolve(self, moderator_id: str, action: ResolveAction, note: str, now: datetime) -> None:
        if not self.is_open:
            raise ReportStateError("Only an open report can be resolved")
        self._decide(ReportStatus.RESOLVED, moderator_id, note, now)
        self.action = action

    def dismiss(self, moderator_id: str, note: str, now: datetime) -> bool:
        """Dismiss an open report, or an earlier resolved one. True when it had been
        resolved (its count against the reported user must be undone)."""
        if self.status is ReportStatus.DISMISSED:
            raise ReportStateError("The report is already dismissed")
        was_resolved = self.status is ReportStatus.RESOLVED
        self._decide(ReportStatus.DISMISSED, moderator_id, note, now)
        return was_resolved

    def reopen(self, now: datetime) -> bool:
        """Back to pending. True when it had been resolved (its count is undone; the action
        taken stays in force until lifted on its own)."""
        if self.is_open:
            raise ReportStateError("The report is already open")
        was_resolved = self.status is ReportStatus.RESOLVED
        self.status = ReportStatus.PENDING
        self.assignee_id = None
        self.decided_by = None
        self.decided_at = None
        self.action = None
        self.note = None
        self.updated_at = now
        return was_resolved

    def _decide(self, status: ReportStatus, moderator_id: str, note: str, now: datetime) -> None:
        self.status = status
        self.decided_by = moderator_id
        self.decided_at = now
        self.note = note
        self.updated_at = now
