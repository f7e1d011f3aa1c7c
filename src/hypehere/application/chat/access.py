"""Who may act on a conversation or a room, shared by the chat use cases: the command shapes
of an actor acting on one conversation or room, and the checks that find it for them."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import ConversationRepository, RoomRepository
from hypehere.application.common.actor import Actor
from hypehere.domain.chat.errors import (
    ConversationNotFoundError,
    NotRoomMemberError,
    RoomNotFoundError,
)
from hypehere.domain.chat.model import Conversation, RoomMember


class OnConversation(msgspec.Struct, frozen=True):
    """`actor` acts on the conversation `conversation_id` (as a participant)."""

    actor: Actor
    conversation_id: str


class OnRoom(msgspec.Struct, frozen=True):
    """`actor` acts in the room `room_id` (as a member, or to become one)."""

    actor: Actor
    room_id: str


async def participating(
    conversations: ConversationRepository, conversation_id: str, user_id: str
) -> Conversation:
    """The conversation, if `user_id` takes part in it; to anyone else it does not exist."""
    conversation = await conversations.get(conversation_id)
    if conversation is None or not conversation.is_participant(user_id):
        raise ConversationNotFoundError("The conversation was not found.")
    return conversation


async def room_member(rooms: RoomRepository, room_id: str, user_id: str) -> RoomMember:
    """`user_id`'s seat in the room (404 for no room, 403 for not in it)."""
    if await rooms.get(room_id) is None:
        raise RoomNotFoundError("The room was not found.")
    member = await rooms.member(room_id, user_id)
    if member is None:
        raise NotRoomMemberError("You are not in this room.")
    return member
