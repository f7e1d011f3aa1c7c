"""A user appeals one of their strikes: once per strike, within 20 days (409
`appeal_exists`, 410 `appeal_window_closed`). Another user's strike is not found."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.application.moderation.strike_views import StrikeView
from hypehere.domain.moderation.errors import StrikeNotFoundError
from hypehere.domain.moderation.strikes import MAX_APPEAL_TEXT
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)


class AppealStrikeCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    strike_id: str
    text: str


class AppealStrike:
    def __init__(self, uow: UnitOfWork, strikes: StrikeRepository, clock: Clock) -> None:
        self._uow = uow
        self._strikes = strikes
        self._clock = clock

    async def execute(self, cmd: AppealStrikeCommand) -> StrikeView:
        text = cmd.text.strip()
        if not text or len(text) > MAX_APPEAL_TEXT:
            raise InvalidInputError(
                f"text must have 1 to {MAX_APPEAL_TEXT} characters", field="text"
            )
        async with self._uow:
            strike = await self._strikes.get(cmd.strike_id)
            if strike is None or strike.user_id != cmd.actor.user_id:
                raise StrikeNotFoundError("The strike was not found")
            strike.file_appeal(new_id(), text, self._clock.now())
            await self._strikes.save(strike)
        logger.info("strike_appealed", strike_id=strike.id, user_id=cmd.actor.user_id)
        return StrikeView.of(strike)
