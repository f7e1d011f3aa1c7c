"""Staff: write a new specification note (status draft unless given)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.spec_ports import (
    SpecRepository,
    SpecView,
    clean_text,
    parse_status,
)
from hypehere.domain.moderation.specs import MAX_BODY, MAX_CATEGORY, MAX_TITLE, Spec, SpecStatus
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id


class CreateSpecCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    title: str
    body: str
    category: str
    status: str = SpecStatus.DRAFT.value


class CreateSpec:
    def __init__(self, uow: UnitOfWork, specs: SpecRepository, clock: Clock) -> None:
        self._uow = uow
        self._specs = specs
        self._clock = clock

    async def execute(self, cmd: CreateSpecCommand) -> SpecView:
        require_staff(cmd.actor)
        now = self._clock.now()
        spec = Spec(
            id=new_id(),
            title=clean_text(cmd.title, "title", MAX_TITLE),
            body=clean_text(cmd.body, "body", MAX_BODY),
            category=clean_text(cmd.category, "category", MAX_CATEGORY).lower(),
            status=parse_status(cmd.status),
            created_by=cmd.actor.user_id,
            created_at=now,
            updated_by=cmd.actor.user_id,
            updated_at=now,
        )
        async with self._uow:
            await self._specs.add(spec)
        return SpecView.of(spec)
