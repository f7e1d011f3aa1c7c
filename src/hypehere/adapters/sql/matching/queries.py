"""The matching module's published read-only queries: what other modules' SQL may compose
(analytics counts the day's matches). See `users/queries.py` for what a read handle is."""

from __future__ import annotations

from sqlalchemy import Table

from hypehere.adapters.sql.matching.tables import AnonymousConversationRow
from hypehere.adapters.sql.read_handle import read_handle

public_anonymous_conversations: Table = read_handle(
    AnonymousConversationRow.__table__,  # type: ignore[attr-defined]
    ("id", "mode", "started_at", "ended_at"),
)
"""`anonymous_conversations`: id, mode, started_at, ended_at (one row per match; rows are
kept after the conversation ends)."""
