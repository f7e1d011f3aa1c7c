"""A direct-conversation message as a participant of its conversation sees it (for
reports): its sender and text; MessageNotFoundError for anyone else. Staff (and the
moderation scan, which acts as staff) locate any stored message: enforcement and the
classifier need its sender and text; a held message (a new account's first messages,
waiting for a verdict) is found by staff and its sender only. `LocateRoomMessage` does the
same for open-room messages (members of the room in place of participants)."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import ConversationRepository, HeldMessages, RoomRepository
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import MessageNotFoundError
from hypehere.domain.chat.model import Message, RoomMessage


class LocateMessageQuery(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class LocatedMessage(msgspec.Struct, frozen=True):
    sender_id: str
    content: str


class LocateMessage:
    def __init__(
        self, uow: UnitOfWork, conversations: ConversationRepository, held: HeldMessages[Message]
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._held = held

    async def execute(self, query: LocateMessageQuery) -> LocatedMessage:
        async with self._uow:
            message = await self._conversations.get_message(
                query.message_id
            ) or await self._held.get(query.message_id)
            conversation = (
                await self._conversations.get(message.conversation_id) if message else None
            )
        if (
            message is None
            or conversation is None
            or not (query.actor.is_staff or conversation.is_participant(query.actor.user_id))
            or not (query.actor.is_staff or message.visible_to(query.actor.user_id))
        ):
            raise MessageNotFoundError("The message was not found.")
        return LocatedMessage(sender_id=message.sender_id, content=message.content)


class LocateRoomMessage:
    def __init__(
        self, uow: UnitOfWork, rooms: RoomRepository, held: HeldMessages[RoomMessage]
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._held = held

    async def execute(self, query: LocateMessageQuery) -> LocatedMessage:
        viewer = query.actor
        async with self._uow:
            message = await self._rooms.get_message(query.message_id) or await self._held.get(
                query.message_id
            )
            member = (
                await self._rooms.member(message.room_id, viewer.user_id)
                if message is not None and not viewer.is_staff
                else None
            )
        if message is None or not (
            viewer.is_staff or (member is not None and message.visible_to(viewer.user_id))
        ):
            raise MessageNotFoundError("The message was not found.")
        return LocatedMessage(sender_id=message.sender_id, content=message.content)
