"""A user's followers, if their privacy setting lets the viewer see them."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.list_privacy import check_list_visible
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page, PageRequest


class ListFollowersCommand(msgspec.Struct, frozen=True):
    viewer: Actor | None
    user_id: str
    limit: int | None = None
    cursor: str | None = None


class ListFollowers:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: ListFollowersCommand) -> Page[ProfileView]:
        page = PageRequest.of(cmd.limit, cmd.cursor)
        viewer = cmd.viewer
        await check_list_visible(self._reader, viewer, cmd.user_id, "followers")
        return await self._reader.followers(cmd.user_id, viewer.user_id if viewer else None, page)
