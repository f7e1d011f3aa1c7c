"""Admins kick (for N minutes) or ban (for good) a user: the seat is freed, the room hears
`kicked`/`banned`, and the user's live sockets in the room are closed."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.frames import BannedFrame, KickedFrame
from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import NotRoomAdminError, RoomNotFoundError
from hypehere.domain.chat.model import RestrictionKind
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RestrictRoomMemberCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str
    user_id: str
    kind: RestrictionKind
    duration_minutes: int | None = None
    origin: str | None = None


class RestrictRoomMember:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        publisher: RealtimePublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: RestrictRoomMemberCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            room = await self._rooms.get(cmd.room_id)
            if room is None:
                raise RoomNotFoundError("The room was not found.")
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
            self._uow.after_commit(
                lambda: self._publisher.publish(
                    room_topic(room.id), frame, close_user_id=cmd.user_id, close_code=4403
                )
            )
        logger.info("room_member_restricted", room_id=room.id, kind=cmd.kind.value)
