"""Staff: undo the removal of a held room (an appeal against its strike was overturned):
its title was fine after all, so everyone sees it and may join it now."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.uow import UnitOfWork

logger = structlog.get_logger(__name__)


class RestoreRoomCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str


class RestoreRoom:
    def __init__(self, uow: UnitOfWork, rooms: RoomRepository) -> None:
        self._uow = uow
        self._rooms = rooms

    async def execute(self, cmd: RestoreRoomCommand) -> Changed:
        require_staff(cmd.actor)
        async with self._uow:
            changed = await self._rooms.restore(cmd.room_id)
        logger.info("room_restored", room_id=cmd.room_id, by=cmd.actor.user_id, changed=changed)
        return Changed(changed)
