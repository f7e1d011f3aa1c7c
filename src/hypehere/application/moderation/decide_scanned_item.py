"""Staff: decide a flagged item. `remove` removes the content through `RemoveContent`
(audited, a strike for the author; held content stays held, so nobody else ever sees it: a
held chat message is rejected, never delivered; a delivered one is replaced for everyone);
`approve` keeps it and releases it when the fail-closed tier held it (announced then as if
just created). Either way the decision stays on
the item as a label of the verdict (audited as `moderation_approve` / via the removal)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.application.moderation.list_moderation_queue import ScannedItemView
from hypehere.application.moderation.remove_content import RemoveContent, RemoveContentCommand
from hypehere.application.moderation.scan_ports import HeldContent, ScannedItems
from hypehere.domain.moderation.audit import AuditTarget
from hypehere.domain.moderation.errors import HeldItemNotFoundError
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.shared.clock import Clock


class DecideScannedItemCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    item_id: str
    remove: bool


class DecideScannedItem:
    def __init__(
        self,
        uow: UnitOfWork,
        items: ScannedItems,
        remove_content: RemoveContent,
        held: HeldContent,
        audit: AuditLog,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._items = items
        self._remove = remove_content
        self._held = held
        self._audit = audit
        self._clock = clock

    async def execute(self, cmd: DecideScannedItemCommand) -> ScannedItemView:
        require_staff(cmd.actor)
        async with self._uow:
            item = await self._items.get(cmd.item_id)
            if item is None:
                raise HeldItemNotFoundError("The item was not found")
            now = self._clock.now()
            item.decide(cmd.actor.user_id, cmd.remove, now)
            await self._items.save(item)
            if cmd.remove:
                await self._remove.execute(
                    RemoveContentCommand(
                        actor=cmd.actor,
                        target_type=ReportTargetType(item.content_type),
                        target_id=item.content_id,
                        reason=f"automatic moderation: {item.verdict.category.value}",
                    )
                )
            else:
                await self._held.release(
                    cmd.actor, ReportTargetType(item.content_type), item.content_id
                )
                target = AuditTarget(item.content_type)
                await record(
                    self._audit,
                    cmd.actor,
                    "moderation_approve",
                    target,
                    item.content_id,
                    now,
                    detail=f"verdict={item.verdict.category.value}",
                )
        return ScannedItemView.of(item)
