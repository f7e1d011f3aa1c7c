"""Moderation removes a held room (its title was flagged, and staff chose `remove` in the
queue): it stays its creator's only, for good; no later verdict releases it. A released
room cannot be taken back this way: the answer says so (`NOT_HELD`), and staff act on its
creator through a report instead."""

from __future__ import annotations

from enum import StrEnum

import msgspec
import structlog

from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import RoomNotFoundError

logger = structlog.get_logger(__name__)


class RoomRemoval(StrEnum):
    REMOVED = "removed"
    ALREADY_REMOVED = "already_removed"
    NOT_HELD = "not_held"  # released: everyone may see it


class RemoveRoomCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str


class RemoveRoom:
    def __init__(self, uow: UnitOfWork, rooms: RoomRepository) -> None:
        self._uow = uow
        self._rooms = rooms

    async def execute(self, cmd: RemoveRoomCommand) -> RoomRemoval:
        require_staff(cmd.actor)
        async with self._uow:
            room = await self._rooms.get(cmd.room_id)
            if room is None:
                raise RoomNotFoundError("The room was not found.")
            if await self._rooms.reject(cmd.room_id):
                outcome = RoomRemoval.REMOVED
            else:
                # what stopped it, read again: a concurrent verdict may have come first
                now = await self._rooms.get(cmd.room_id)
                removed = now is not None and now.removed
                outcome = RoomRemoval.ALREADY_REMOVED if removed else RoomRemoval.NOT_HELD
        logger.info("room_removed", room_id=cmd.room_id, by=cmd.actor.user_id, outcome=outcome)
        return outcome
