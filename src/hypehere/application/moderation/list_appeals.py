"""Staff: appeals in one status (pending, upheld, overturned), oldest first."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_trail import parse_time_cursor
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.application.moderation.strike_views import StrikePageView, StrikeView
from hypehere.domain.moderation.strikes import AppealStatus, Strike
from hypehere.domain.shared.pagination import PageRequest


class ListAppealsCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    status: str = AppealStatus.PENDING.value
    limit: int | None = None
    cursor: str | None = None


def appeal_sort_key(strike: Strike) -> tuple[str, str]:
    if strike.appeal is None:
        raise ValueError("a strike without an appeal is not in the appeals list")
    return (strike.appeal.created_at.isoformat(), strike.appeal.id)


class ListAppeals:
    def __init__(self, uow: UnitOfWork, strikes: StrikeRepository) -> None:
        self._uow = uow
        self._strikes = strikes

    async def execute(self, cmd: ListAppealsCommand) -> StrikePageView:
        require_staff(cmd.actor)
        status = parse_choice(AppealStatus, cmd.status, "status")
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        parse_time_cursor(page.cursor)
        async with self._uow:
            result = await self._strikes.appeals(status, page)
        return StrikePageView(
            items=[StrikeView.of(s) for s in result.items], next_cursor=result.next_cursor
        )
