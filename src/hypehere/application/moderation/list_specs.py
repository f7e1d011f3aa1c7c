"""Staff: specification notes, latest update first, optionally one status or category."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_trail import parse_time_cursor
from hypehere.application.moderation.spec_ports import (
    SpecPageView,
    SpecRepository,
    SpecView,
    parse_status,
)
from hypehere.domain.shared.pagination import PageRequest


class ListSpecsCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    status: str | None = None
    category: str | None = None
    limit: int | None = None
    cursor: str | None = None


class ListSpecs:
    def __init__(self, uow: UnitOfWork, specs: SpecRepository) -> None:
        self._uow = uow
        self._specs = specs

    async def execute(self, cmd: ListSpecsCommand) -> SpecPageView:
        require_staff(cmd.actor)
        status = parse_status(cmd.status) if cmd.status else None
        category = cmd.category.strip().lower() if cmd.category else None
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        parse_time_cursor(page.cursor)
        async with self._uow:
            result = await self._specs.list(status, category, page)
        return SpecPageView(
            items=[SpecView.of(s) for s in result.items], next_cursor=result.next_cursor
        )
