"""Transitional shim for `adapters/sql/chat.py` and `chat_writer.py` only (the chat split
imports `adapters/sql/outbox/writer.py`, then this file goes)."""

from hypehere.adapters.sql.outbox.writer import outbox_values

__all__ = ["outbox_values"]
