"""Admins kick (for N minutes) or ban (for good) a user: the seat is freed, the room hears
`kicked`/`banned`, and the user's live sockets in the room are closed."""

from __future__ import annotations

import structlog

from hypehere.application.chat.access import OnRoom
from hypehere.application.chat.frames import BannedFrame, KickedFrame
from hypehere.application.chat.room_action import RoomAction
from hypehere.domain.chat.errors import NotRoomAdminError
from hypehere.domain.chat.model import RestrictionKind

logger = structlog.get_logger(__name__)


class RestrictRoomMemberCommand(OnRoom, frozen=True):
    user_id: str
    kind: RestrictionKind
    duration_minutes: int | None = None
    origin: str | None = None


class RestrictRoomMember(RoomAction):
    async def execute(self, cmd: RestrictRoomMemberCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            room = await self._room(cmd.room_id)
            admin = await self._rooms.member(room.id, me)
            if admin is None:
                raise NotRoomAdminError("Only room admins can do this.")
            restriction = room.restrict(
                admin, cmd.user_id, cmd.kind, self._clock.now(), cmd.duration_minutes
            )
            await self._rooms.save_restriction(restriction)
            await self._rooms.remove_member(room.id, cmd.user_id)
            frame: KickedFrame | BannedFrame
            if cmd.kind is RestrictionKind.KICK:
                frame = KickedFrame(user_id=cmd.user_id, by=me, until=restriction.until)
            else:
                frame = BannedFrame(user_id=cmd.user_id, by=me)
            self._broadcast_after_commit(room.id, frame, close_user_id=cmd.user_id, close_code=4403)
        logger.info("room_member_restricted", room_id=room.id, kind=cmd.kind.value)
