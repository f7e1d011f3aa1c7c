"""User summaries for rendering, in the order asked (other modules use it)."""

from __future__ import annotations

from collections.abc import Sequence

from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView


class GetUserSummaries:
    """Profiles for a set of ids, in the order given (missing ids are left out)."""

    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, user_ids: Sequence[str]) -> list[ProfileView]:
        return await self._reader.summaries(user_ids)
