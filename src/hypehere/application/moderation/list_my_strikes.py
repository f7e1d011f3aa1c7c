"""A user's own strikes, newest first, each with its appeal (if any). Also served to a
suspended or banned user through their credentials (`ListStrikesWithCredentials`)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.application.moderation.strike_views import StrikePageView, StrikeView
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest, page_from_rows


class ListMyStrikesCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None


class ListMyStrikes:
    def __init__(self, uow: UnitOfWork, strikes: StrikeRepository) -> None:
        self._uow = uow
        self._strikes = strikes

    async def execute(self, cmd: ListMyStrikesCommand) -> StrikePageView:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        after = page.cursor
        if after is not None and not all(isinstance(v, str) for v in after):
            raise InvalidCursorError("The cursor is not valid")
        async with self._uow:
            strikes = await self._strikes.for_user(cmd.actor.user_id)
        views = [StrikeView.of(s) for s in strikes]
        if after is not None:
            views = [v for v in views if (v.created_at.isoformat(), v.id) < tuple(after)]
        result = page_from_rows(
            views[: page.limit + 1], page.limit, lambda v: (v.created_at.isoformat(), v.id)
        )
        return StrikePageView(items=result.items, next_cursor=result.next_cursor)
