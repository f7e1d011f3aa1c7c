"""Staff: undo a moderation removal of an open-room message (an appeal was overturned), as
`RestoreMessage` does a direct one: a delivered one shows its text again; a rejected held
one is released now (`ReleaseRoomMessage`)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.ports import HeldMessages, RoomRepository
from hypehere.application.chat.release_room_message import (
    ReleaseRoomMessage,
    ReleaseRoomMessageCommand,
)
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.model import RoomMessage

logger = structlog.get_logger(__name__)


class RestoreRoomMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class RestoreRoomMessage:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        held: HeldMessages[RoomMessage],
        release: ReleaseRoomMessage,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._held = held
        self._release = release

    async def execute(self, cmd: RestoreRoomMessageCommand) -> Changed:
        require_staff(cmd.actor)
        async with self._uow:
            if await self._held.unreject(cmd.message_id):
                await self._release.execute(ReleaseRoomMessageCommand(cmd.actor, cmd.message_id))
                changed = True
            else:
                changed = await self._rooms.restore_message(cmd.message_id)
        logger.info("room_message_restored", message_id=cmd.message_id, changed=changed)
        return Changed(changed)
