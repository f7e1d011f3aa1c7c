"""Transitional shim for `adapters/sql/chat.py` only (the chat split moves it to
`adapters/sql/users/queries.py`, then this file goes). Nothing else may import it."""

from hypehere.adapters.sql.users.tables import BlockRow, FollowRow, UserRow

__all__ = ["BlockRow", "FollowRow", "UserRow"]
