"""The followers/following privacy matrix and the list page behind it, shared by both list
use cases."""

from __future__ import annotations

from typing import Literal

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.get_profile import visible_to
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page, PageRequest
from hypehere.domain.users.errors import ListPrivateError
from hypehere.domain.users.model import ListVisibility, can_see_list


async def check_list_visible(
    reader: UserReader, viewer: Actor | None, user_id: str, which: str
) -> None:
    owner = visible_to(await reader.profile(user_id, viewer.user_id if viewer else None), viewer)
    setting = owner.show_followers_list if which == "followers" else owner.show_following_list
    if not can_see_list(
        ListVisibility(setting),
        is_owner=viewer is not None and viewer.user_id == user_id,
        viewer_follows_owner=bool(owner.is_following),
    ):
        raise ListPrivateError("This list is private")


class UserListCommand(msgspec.Struct, frozen=True):
    viewer: Actor | None
    user_id: str
    limit: int | None = None
    cursor: str | None = None


async def list_page(
    reader: UserReader, cmd: UserListCommand, which: Literal["followers", "following"]
) -> Page[ProfileView]:
    """A page of the user's followers or followees, if their privacy lets the viewer see it."""
    page = PageRequest.of(cmd.limit, cmd.cursor)
    viewer_id = cmd.viewer.user_id if cmd.viewer else None
    await check_list_visible(reader, cmd.viewer, cmd.user_id, which)
    edges = reader.followers if which == "followers" else reader.following
    return await edges(cmd.user_id, viewer_id, page)
