"""The accounts I block, newest first."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page, PageRequest


class ListBlocksCommand(msgspec.Struct, frozen=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None


class ListBlocks:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: ListBlocksCommand) -> Page[ProfileView]:
        page = PageRequest.of(cmd.limit, cmd.cursor)
        return await self._reader.blocked_by(cmd.actor.user_id, page)
