"""Join a room: password, bans and kicks, then a seat (atomic, so concurrent joins never
overfill the room). Joining a room I am already in is a no-op."""

from __future__ import annotations

import structlog

from hypehere.application.chat.access import OnRoom
from hypehere.application.chat.frames import JoinedFrame
from hypehere.application.chat.ports import RoomPasswordHasher, RoomReader, RoomRepository
from hypehere.application.chat.views import RoomView
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import RoomFullError, RoomNotFoundError, WrongPasswordError
from hypehere.domain.chat.model import RoomMember, RoomRole
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class JoinRoomCommand(OnRoom, frozen=True):
    password: str | None = None


class JoinRoom:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        reader: RoomReader,
        hasher: RoomPasswordHasher,
        publisher: RealtimePublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._reader = reader
        self._hasher = hasher
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: JoinRoomCommand) -> RoomView:
        me = cmd.actor.user_id
        now = self._clock.now()
        joined_count: int | None = None
        async with self._uow:
            room = await self._rooms.get(cmd.room_id)
            if room is None:
                raise RoomNotFoundError("The room was not found.")
            if await self._rooms.member(room.id, me) is None:
                restriction = await self._rooms.restriction(room.id, me)
                if restriction is not None and restriction.active(now):
                    restriction.refuse()
                if room.password_hash is not None and not (
                    cmd.password is not None
                    and await self._hasher.verify(room.password_hash, cmd.password)
                ):
                    raise WrongPasswordError("The room password is wrong.")
                joined_count = await self._rooms.take_seat(room)
                if joined_count is None:
                    raise RoomFullError("The room is full.")
                await self._rooms.add_member(RoomMember(room.id, me, RoomRole.MEMBER, now))
                joined = JoinedFrame(user_id=me, participant_count=joined_count)
                self._uow.after_commit(
                    lambda: self._publisher.publish(room_topic(cmd.room_id), joined)
                )
        if joined_count is not None:
            logger.info("room_joined", room_id=cmd.room_id, participant_count=joined_count)
        async with self._uow:
            view = await self._reader.view(cmd.room_id)
        assert view is not None
        return view
