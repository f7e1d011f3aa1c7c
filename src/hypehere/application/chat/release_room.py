"""Moderation releases a held room (the fail-closed tier): its title was checked safe, or
staff approved it. From now on everyone sees it in `GET /rooms` and may join it.
Idempotent: releasing a room that is not held changes nothing."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import RoomNotFoundError

logger = structlog.get_logger(__name__)


class ReleaseRoomCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str


class ReleaseRoom:
    def __init__(self, uow: UnitOfWork, rooms: RoomRepository) -> None:
        self._uow = uow
        self._rooms = rooms

    async def execute(self, cmd: ReleaseRoomCommand) -> Changed:
        require_staff(cmd.actor)
        async with self._uow:
            if await self._rooms.get(cmd.room_id) is None:
                raise RoomNotFoundError("The room was not found.")
            changed = await self._rooms.release(cmd.room_id)
        logger.info("room_released", room_id=cmd.room_id, by=cmd.actor.user_id, changed=changed)
        return Changed(changed)
