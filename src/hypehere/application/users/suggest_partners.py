"""Language-partner suggestions: natives of my targets who learn my native language."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.pagination import Page, PageRequest


class SuggestPartners:
    def __init__(self, reader: UserReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, actor: Actor, page: PageRequest) -> Page[ProfileView]:
        return await self._reader.partners(actor.user_id, page, self._clock.now())
