"""Transitional: the chat module's tables until the chat split moves them to
`adapters/sql/chat/tables.py`, and two re-export shims `chat.py` still imports. Every
table is registered by `adapters/sql/all_tables.py`."""
