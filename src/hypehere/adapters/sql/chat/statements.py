"""Statements of the message hot path shared by the repository and the send paths, built
once (bound parameters per call), and the row values they take."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update

from hypehere.adapters.sql.chat.tables import (
    ConversationParticipantRow,
    ConversationRow,
    MessageRow,
)
from hypehere.adapters.sql.outbox.writer import outbox_insert
from hypehere.adapters.sql.types import UtcDateTime
from hypehere.adapters.sql.users.queries import blocked_either_way
from hypehere.domain.chat.model import Message

conversations = ConversationRow.__table__  # type: ignore[attr-defined]
participants = ConversationParticipantRow.__table__  # type: ignore[attr-defined]
messages = MessageRow.__table__  # type: ignore[attr-defined]


def _conversation_with_participants(condition: Any, *extra: Any) -> Any:
    return (
        select(
            conversations.c.id,
            conversations.c.pair_key,
            conversations.c.created_by,
            conversations.c.created_at,
            conversations.c.kind,
            *[column.label(f"p_{column.name}") for column in participants.c],
            *extra,
        )
        .join(participants, participants.c.conversation_id == conversations.c.id)
        .where(condition)
        .order_by(participants.c.joined_at, participants.c.user_id)
    )


LOAD_BY_ID = _conversation_with_participants(conversations.c.id == bindparam("key"))
LOAD_BY_PAIR = _conversation_with_participants(conversations.c.pair_key == bindparam("key"))
# Per participant row: does a block (either way) stand between it and the sender?
LOAD_FOR_SENDER = _conversation_with_participants(
    conversations.c.id == bindparam("key"),
    blocked_either_way(bindparam("sender"), participants.c.user_id).label("p_blocks_sender"),
)
NEXT_SEQ = (
    update(conversations)
    .where(conversations.c.id == bindparam("conversation_id"))
    .values(
        last_seq=conversations.c.last_seq + 1,
        last_message_id=bindparam("message_id"),
        updated_at=bindparam("at", type_=UtcDateTime),
    )
    .returning(conversations.c.last_seq)
)
INSERT_MESSAGE = insert(messages)
INSERT_OUTBOX = outbox_insert()


def participant_values(conversation_id: str, p: Any) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "user_id": p.user_id,
        "folder": p.folder.value,
        "is_active": p.is_active,
        "joined_at": p.joined_at,
        "left_at": p.left_at,
        "last_read_message_id": p.last_read_message_id,
        "last_read_seq": p.last_read_seq,
    }


def message_values(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "content": message.content,
        "client_id": message.client_id,
        "seq": message.seq,
        "created_at": message.created_at,
    }
