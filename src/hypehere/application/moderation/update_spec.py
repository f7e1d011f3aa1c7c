"""Staff: change a specification note (any of title, body, category, status)."""

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
from hypehere.domain.moderation.errors import SpecNotFoundError
from hypehere.domain.moderation.specs import MAX_BODY, MAX_CATEGORY, MAX_TITLE
from hypehere.domain.shared.clock import Clock


class UpdateSpecCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    spec_id: str
    title: str | None = None
    body: str | None = None
    category: str | None = None
    status: str | None = None


class UpdateSpec:
    def __init__(self, uow: UnitOfWork, specs: SpecRepository, clock: Clock) -> None:
        self._uow = uow
        self._specs = specs
        self._clock = clock

    async def execute(self, cmd: UpdateSpecCommand) -> SpecView:
        require_staff(cmd.actor)
        async with self._uow:
            spec = await self._specs.get(cmd.spec_id)
            if spec is None:
                raise SpecNotFoundError("The spec was not found")
            if cmd.title is not None:
                spec.title = clean_text(cmd.title, "title", MAX_TITLE)
            if cmd.body is not None:
                spec.body = clean_text(cmd.body, "body", MAX_BODY)
            if cmd.category is not None:
                spec.category = clean_text(cmd.category, "category", MAX_CATEGORY).lower()
            if cmd.status is not None:
                spec.status = parse_status(cmd.status)
            spec.updated_by = cmd.actor.user_id
            spec.updated_at = self._clock.now()
            await self._specs.save(spec)
        return SpecView.of(spec)
