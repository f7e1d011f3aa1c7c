"""Strikes: every enforcement against a user (content removed, warning, suspension, ban)
leaves one, and each strike can be appealed once within `APPEAL_WINDOW_DAYS`. The appeal
is decided by a staff member other than the one who acted; overturning lifts the strike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hypehere.domain.moderation.errors import (
    AppealExistsError,
    AppealStateError,
    AppealWindowClosedError,
    SameModeratorError,
)

APPEAL_WINDOW_DAYS = 20
MAX_APPEAL_TEXT = 2000


class StrikeAction(StrEnum):
    CONTENT_REMOVED = "content_removed"
    WARNING = "warning"
    SUSPENSION = "suspension"
    BAN = "ban"


class AppealStatus(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


@dataclass(slots=True)
class Appeal:
    id: str
    text: str
    created_at: datetime
    status: AppealStatus = AppealStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = None


@dataclass(slots=True)
class Strike:
    """`issued_by`: the staff member who acted. `content_type`/`content_id`: the removed post
    or comment (content_removed). `report_id`: the report it resolved, if any (its count is
    undone when the strike is overturned)."""

    id: str
    user_id: str
    action: StrikeAction
    reason: str
    excerpt: str | None
    issued_by: str
    created_at: datetime
    content_type: str | None = None
    content_id: str | None = None
    report_id: str | None = None
    appeal: Appeal | None = None

    def appeal_deadline(self) -> datetime:
        return self.created_at + timedelta(days=APPEAL_WINDOW_DAYS)

    def file_appeal(self, appeal_id: str, text: str, now: datetime) -> Appeal:
        if self.appeal is not None:
            raise AppealExistsError("This strike was already appealed")
        if now > self.appeal_deadline():
            raise AppealWindowClosedError("The appeal window has closed")
        self.appeal = Appeal(id=appeal_id, text=text, created_at=now)
        return self.appeal

    def decide_appeal(self, staff_id: str, overturn: bool, note: str, now: datetime) -> None:
        if self.appeal is None or self.appeal.status is not AppealStatus.PENDING:
            raise AppealStateError("The appeal is already decided")
        if staff_id == self.issued_by:
            raise SameModeratorError("The appeal must be decided by another staff member")
        self.appeal.status = AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD
        self.appeal.decided_by = staff_id
        self.appeal.decided_at = now
        self.appeal.note = note
