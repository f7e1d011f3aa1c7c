"""All tables, imported here so alembic and tests see the complete metadata."""

from hypehere.adapters.sql.chat import tables as chat
from hypehere.adapters.sql.tables import feed as feed
from hypehere.adapters.sql.tables import notifications as notifications
from hypehere.adapters.sql.tables import outbox as outbox
from hypehere.adapters.sql.tables import search as search
from hypehere.adapters.sql.tables import users as users

__all__ = ["chat", "feed", "notifications", "outbox", "search", "users"]
