"""`GET /admin/insights` (staff): the newest daily summaries, newest first."""

from __future__ import annotations

import msgspec

from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.common.actor import Actor, require_staff
from hypehere.domain.analytics.insights import Insight
from hypehere.domain.shared.errors import InvalidInputError

MAX_LIMIT = 100


class ListInsightsCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    limit: int = 14


class ListInsights:
    def __init__(self, reader: AnalyticsReader) -> None:
        self._reader = reader

    async def execute(self, cmd: ListInsightsCommand) -> list[Insight]:
        require_staff(cmd.actor)
        if not 1 <= cmd.limit <= MAX_LIMIT:
            raise InvalidInputError(f"limit is 1..{MAX_LIMIT}", field="limit")
        return await self._reader.insights(cmd.limit)
