"""The followers/following privacy matrix, shared by both list use cases."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.users.get_profile import visible_to
from hypehere.application.users.ports import UserReader
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
