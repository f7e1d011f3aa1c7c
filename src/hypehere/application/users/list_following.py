"""Whom a user follows, if their privacy setting lets the viewer see it."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.list_privacy import check_list_visible
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page, PageRequest


class ListFollowingCommand(msgspec.Struct, frozen=True):
    viewer: Actor | None
    user_id: str
    limit: int | None = None
    cursor: str | None = None


class ListFollowing:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: ListFollowingCommand) -> Page[ProfileView]:
        page = PageRequest.of(cmd.limit, cmd.cursor)
        viewer = cmd.viewer
        await check_list_visible(self._reader, viewer, cmd.user_id, "following")
        return await self._reader.following(cmd.user_id, viewer.user_id if viewer else None, page)
