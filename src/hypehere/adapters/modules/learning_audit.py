"""The learning module's `ContentAudit` port: staff edits of lesson content go to the
moderation module's audit log (`/admin/audit-log`), in the edit's own transaction (the
SQL audit log writes through the request's session)."""

from __future__ import annotations

from datetime import datetime

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.domain.moderation.audit import AuditTarget


class ModerationContentAudit:
    def __init__(self, log: AuditLog) -> None:
        self._log = log

    async def record(
        self,
        actor: Actor,
        action: str,
        target_type: str,
        target_id: str,
        at: datetime,
        *,
        detail: str | None = None,
    ) -> None:
        await record(
            self._log, actor, action, AuditTarget(target_type), target_id, at, detail=detail
        )
