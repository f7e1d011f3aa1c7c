"""A user's followers, if their privacy setting lets the viewer see them."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.users.list_privacy import check_list_visible
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page, PageRequest


class ListFollowers:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(
        self, viewer: Actor | None, user_id: str, page: PageRequest
    ) -> Page[ProfileView]:
        await check_list_visible(self._reader, viewer, user_id, "followers")
        return await self._reader.followers(user_id, viewer.user_id if viewer else None, page)
