"""Staff: the audit log, newest first, optionally one actor's and/or one target's."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import clean_filter, parse_time_cursor
from hypehere.domain.moderation.audit import AuditEntry
from hypehere.domain.shared.pagination import PageRequest


class ListAuditLogCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    actor_id: str | None = None
    target_id: str | None = None
    limit: int | None = None
    cursor: str | None = None


class AuditEntryView(msgspec.Struct, frozen=True, kw_only=True):
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
    def of(cls, entry: AuditEntry) -> AuditEntryView:
        return cls(
            id=entry.id,
            actor_id=entry.actor_id,
            action=entry.action,
            target_type=entry.target_type.value,
            target_id=entry.target_id,
            reason=entry.reason,
            detail=entry.detail,
            created_at=entry.created_at,
        )


class AuditPageView(msgspec.Struct, frozen=True):
    items: list[AuditEntryView]
    next_cursor: str | None


class ListAuditLog:
    def __init__(self, uow: UnitOfWork, audit: AuditLog) -> None:
        self._uow = uow
        self._audit = audit

    async def execute(self, cmd: ListAuditLogCommand) -> AuditPageView:
        require_staff(cmd.actor)
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        parse_time_cursor(page.cursor)
        actor_id = clean_filter(cmd.actor_id, "actor_id")
        target_id = clean_filter(cmd.target_id, "target_id")
        async with self._uow:
            result = await self._audit.list(actor_id, target_id, page)
        return AuditPageView(
            items=[AuditEntryView.of(e) for e in result.items], next_cursor=result.next_cursor
        )
