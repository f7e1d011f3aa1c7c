"""Staff: remove a post, comment, chat message or held room by moderation (the owner
module's removal through the `ContentRemoval` port; a held message is rejected, a held room
stays its creator's only), with an audit entry and a strike for its author in the same
transaction."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.application.moderation.report_ports import ContentRemoval, ReportTargets
from hypehere.application.moderation.strike_issuing import issue_strike
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.domain.moderation.audit import AuditTarget
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.moderation.strikes import StrikeAction
from hypehere.domain.shared.clock import Clock

AUDIT_TARGET = {
    ReportTargetType.POST: AuditTarget.POST,
    ReportTargetType.COMMENT: AuditTarget.COMMENT,
    ReportTargetType.MESSAGE: AuditTarget.MESSAGE,
    ReportTargetType.ROOM_MESSAGE: AuditTarget.ROOM_MESSAGE,
    ReportTargetType.ROOM: AuditTarget.ROOM,
}


class RemoveContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    target_type: ReportTargetType
    target_id: str
    reason: str | None = None


class RemoveContentResult(msgspec.Struct, frozen=True):
    changed: bool


class RemoveContent:
    def __init__(
        self,
        uow: UnitOfWork,
        content: ContentRemoval,
        targets: ReportTargets,
        audit: AuditLog,
        strikes: StrikeRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._uow = uow
        self._content = content
        self._targets = targets
        self._audit = audit
        self._strikes = strikes
        self._clock = clock

    async def execute(self, cmd: RemoveContentCommand) -> RemoveContentResult:
        require_staff(cmd.actor)
        async with self._uow:
            target = await self._targets.locate(cmd.actor, cmd.target_type, cmd.target_id)
            changed = await self._content.remove(cmd.actor, cmd.target_type, cmd.target_id)
            if changed:
                await audit_removal(
                    self._audit, cmd.actor, cmd.target_type, cmd.target_id, self._clock, cmd.reason
                )
                if target is not None:
                    await issue_strike(
                        self._strikes,
                        self._outbox,
                        user_id=target.owner_id,
                        action=StrikeAction.CONTENT_REMOVED,
                        issued_by=cmd.actor.user_id,
                        at=self._clock.now(),
                        excerpt=target.excerpt or None,
                        content_type=cmd.target_type.value,
                        content_id=cmd.target_id,
                    )
        return RemoveContentResult(changed)


async def audit_removal(
    audit: AuditLog,
    actor: Actor,
    target_type: ReportTargetType,
    target_id: str,
    clock: Clock,
    reason: str | None,
) -> None:
    await record(
        audit,
        actor,
        f"remove_{target_type.value}",
        AUDIT_TARGET[target_type],
        target_id,
        clock.now(),
        reason=reason,
    )
