"""The staff audit log: one entry per staff action (who, when, what, on what, why).
Entries are only ever appended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditTarget(StrEnum):
    USER = "user"
    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"  # a scanned chat message staff approved or removed
    ROOM = "room"  # a held room title staff approved or removed
    ROOM_MESSAGE = "room_message"  # a scanned open-room message staff approved or removed
    REPORT = "report"
    APPEAL = "appeal"
    CATEGORY = "category"  # learning content (`/admin/learning/...`)
    LESSON = "lesson"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: str
    actor_id: str
    action: str  # e.g. suspend, ban, set_role, remove_post, report_resolve
    target_type: AuditTarget
    target_id: str
    reason: str | None  # why (the staff member's reason or note)
    detail: str | None  # what exactly (a role, an end time, a resolve action)
    created_at: datetime
