"""The chat module's published read-only queries: what other modules' SQL may compose (the
learning module reads a message to correct it). See `users/queries.py` for what a read
handle is."""

from __future__ import annotations

from sqlalchemy import Table

from hypehere.adapters.sql.chat.tables import ConversationParticipantRow, MessageRow
from hypehere.adapters.sql.read_handle import read_handle

public_messages: Table = read_handle(
    MessageRow.__table__,  # type: ignore[attr-defined]
    ("id", "conversation_id", "sender_id", "content", "created_at", "removed_at"),
)
"""`messages`: id, conversation_id, sender_id, content, created_at, removed_at (set: removed
by moderation, its text shown to nobody)."""
conversation_members: Table = read_handle(
    ConversationParticipantRow.__table__,  # type: ignore[attr-defined]
    ("conversation_id", "user_id", "is_active"),
)
"""`conversation_participants`: conversation_id, user_id, is_active."""
