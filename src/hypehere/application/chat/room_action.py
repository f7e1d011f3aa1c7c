"""What the room actions of members and admins share: their ports, finding the room, and
broadcasting a frame to it once the transaction has committed."""

from __future__ import annotations

from typing import Any

import msgspec

from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import RoomNotFoundError
from hypehere.domain.chat.model import Room
from hypehere.domain.shared.clock import Clock


class RoomAction:
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

    async def _room(self, room_id: str) -> Room:
        room = await self._rooms.get(room_id)
        if room is None:
            raise RoomNotFoundError("The room was not found.")
        return room

    def _broadcast_after_commit(self, room_id: str, frame: msgspec.Struct, **options: Any) -> None:
        """Publish `frame` to the room's topic once the open transaction commits
        (`options`: those of `RealtimePublisher.publish`)."""
        self._uow.after_commit(
            lambda: self._publisher.publish(room_topic(room_id), frame, **options)
        )
