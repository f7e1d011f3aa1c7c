"""Create an open chat room; the creator takes a seat and is its admin.

The fail-closed moderation tier (`RoomTitleHold`): every new room is stored held, seen
(listed, joinable) by its creator only, and announced as `RoomHeld`; the moderation module
checks its title and releases it with `ReleaseRoom`."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.ports import RoomPasswordHasher, RoomReader, RoomRepository
from hypehere.application.chat.views import RoomView
from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.events import RoomHeld
from hypehere.domain.chat.model import Room, RoomMember, RoomRole
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.holding import RoomTitleHold

logger = structlog.get_logger(__name__)


class CreateRoomCommand(msgspec.Struct, frozen=True):
    actor: Actor
    name: str
    language: str
    max_participants: int
    description: str = ""
    password: str | None = None


class CreateRoom:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        reader: RoomReader,
        hasher: RoomPasswordHasher,
        clock: Clock,
        outbox: OutboxWriter,
        hold: RoomTitleHold,
    ) -> None:
        self._outbox = outbox
        self._hold = hold
        self._uow = uow
        self._rooms = rooms
        self._reader = reader
        self._hasher = hasher
        self._clock = clock

    async def execute(self, cmd: CreateRoomCommand) -> RoomView:
        password_hash = None
        if cmd.password is not None:
            if not 1 <= len(cmd.password) <= 128:
                raise InvalidInputError("password must have 1 to 128 characters", field="password")
            password_hash = await self._hasher.hash(cmd.password)
        now = self._clock.now()
        room = Room.create(
            name=cmd.name,
            description=cmd.description,
            language=cmd.language,
            password_hash=password_hash,
            max_participants=cmd.max_participants,
            created_by=cmd.actor.user_id,
            now=now,
        )
        room.held = self._hold.on
        async with self._uow:
            await self._rooms.add(room, RoomMember(room.id, room.created_by, RoomRole.ADMIN, now))
            if room.held:
                await self._outbox.add(
                    RoomHeld(
                        occurred_at=now,
                        room_id=room.id,
                        created_by=room.created_by,
                        language=room.language,
                    )
                )
        async with self._uow:
            view = await self._reader.view(room.id, room.created_by)
        assert view is not None
        logger.info("room_created", room_id=room.id, held=room.held)
        return view
