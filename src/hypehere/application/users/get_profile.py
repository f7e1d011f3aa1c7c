"""A user's public profile as the viewer may see it (404 when hidden or blocked)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.users.errors import UserNotFoundError
from hypehere.domain.users.model import VISIBLE_STATES, AccountState


def visible_to(view: ProfileView | None, viewer: Actor | None) -> ProfileView:
    """The profile, or UserNotFoundError when the viewer may not see it: hidden accounts
    (deactivated, pending deletion, banned, deleted) and a blocker, seen by the blocked."""
    if view is None:
        raise UserNotFoundError("The user was not found")
    is_self = viewer is not None and viewer.user_id == view.id
    if not is_self and AccountState(view.state) not in VISIBLE_STATES:
        raise UserNotFoundError("The user was not found")
    if view.is_blocked_by:
        raise UserNotFoundError("The user was not found")
    return view


class GetProfileCommand(msgspec.Struct, frozen=True):
    viewer: Actor | None
    user_id: str


class GetProfile:
    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: GetProfileCommand) -> ProfileView:
        viewer_id = cmd.viewer.user_id if cmd.viewer else None
        return visible_to(await self._reader.profile(cmd.user_id, viewer_id), cmd.viewer)
