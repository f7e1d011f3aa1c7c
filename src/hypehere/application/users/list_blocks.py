"""The accounts I block, newest first."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page, PageRequest


class ListBlocks:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, actor: Actor, page: PageRequest) -> Page[ProfileView]:
        return await self._reader.blocked_by(actor.user_id, page)
