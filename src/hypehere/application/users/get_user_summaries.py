"""User summaries for rendering, in the order asked (other modules use it)."""

from __future__ import annotations

import msgspec

from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView


class GetUserSummariesCommand(msgspec.Struct, frozen=True):
    user_ids: tuple[str, ...]


class GetUserSummaries:
    """Profiles for a set of ids, in the order given (missing ids are left out)."""

    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: GetUserSummariesCommand) -> list[ProfileView]:
        return await self._reader.summaries(cmd.user_ids)
