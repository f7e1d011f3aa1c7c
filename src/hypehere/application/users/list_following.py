"""Whom a user follows, if their privacy setting lets the viewer see it."""

from __future__ import annotations

from hypehere.application.users.list_privacy import UserListCommand, list_page
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page


class ListFollowingCommand(UserListCommand, frozen=True):
    pass


class ListFollowing:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: ListFollowingCommand) -> Page[ProfileView]:
        return await list_page(self._reader, cmd, "following")
