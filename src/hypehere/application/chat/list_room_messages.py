"""A room's history, for its members only; a member's own messages still held by
moderation top their newest page (marked `moderation: held`), nobody else's."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.access import OnRoom, room_member
from hypehere.application.chat.history import HELD_SHOWN, history_page
from hypehere.application.chat.ports import HeldMessages, RoomReader, RoomRepository
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.model import RoomMessage


class ListRoomMessagesCommand(OnRoom, frozen=True):
    limit: int | None = None
    cursor: str | None = None
    after: str | None = None


class ListRoomMessagesResult(msgspec.Struct, frozen=True):
    items: list[RoomMessageView]
    next_cursor: str | None


class ListRoomMessages:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        reader: RoomReader,
        held: HeldMessages[RoomMessage],
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._reader = reader
        self._held = held

    async def execute(self, cmd: ListRoomMessagesCommand) -> ListRoomMessagesResult:
        room_id, me = cmd.room_id, cmd.actor.user_id
        async with self._uow:
            await room_member(self._rooms, room_id, me)
            held = []
            if cmd.cursor is None and cmd.after is None:  # the newest page
                mine = await self._held.waiting_for(room_id, me, HELD_SHOWN)
                held = [RoomMessageView.of(m) for m in mine]
            page = await history_page(
                self._reader,
                room_id,
                limit=cmd.limit,
                cursor=cmd.cursor,
                after=cmd.after,
                held=held,
            )
        return ListRoomMessagesResult(items=page.items, next_cursor=page.next_cursor)
