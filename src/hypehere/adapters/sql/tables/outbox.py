"""Transitional shim for `adapters/sql/chat.py` only (the chat split moves it to
`adapters/sql/outbox/writer.outbox_insert`, then this file goes). Nothing else may import
it."""

from hypehere.adapters.sql.outbox.tables import OutboxEventRow

__all__ = ["OutboxEventRow"]
