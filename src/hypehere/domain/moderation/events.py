"""Events of the moderation module (outbox topics `moderation.*`); the notifications module
turns them into `report`, `moderation` and `appeal` notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from hypehere.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportDecided(DomainEvent):
    """A staff member resolved or dismissed a report: its reporter learns the outcome."""

    topic: ClassVar[str] = "moderation.report_decided"
    report_id: str
    reporter_id: str
    status: str
    filed_at: datetime | None = None  # when the report was filed (time to resolution)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFiled(DomainEvent):
    """Someone filed a report (analytics counts reports opened; no details or excerpt)."""

    topic: ClassVar[str] = "moderation.report_filed"
    report_id: str
    reporter_id: str
    target_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StrikeIssued(DomainEvent):
    """A user got a strike (content removed, warning, suspension, ban)."""

    topic: ClassVar[str] = "moderation.strike_issued"
    strike_id: str
    user_id: str
    action: str
    content_type: str | None = None  # content_removed: what was removed (post, message ...)


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealDecided(DomainEvent):
    """A staff member upheld or overturned a user's appeal."""

    topic: ClassVar[str] = "moderation.appeal_decided"
    appeal_id: str
    strike_id: str
    user_id: str
    overturned: bool
