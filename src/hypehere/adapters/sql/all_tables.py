"""Every module's tables, imported here so alembic and tests see the complete metadata.

The one place that imports all the private `tables` modules (import-linter keeps the
module packages themselves from reaching into each other's)."""

from hypehere.adapters.sql.analytics import tables as analytics
from hypehere.adapters.sql.chat import tables as chat
from hypehere.adapters.sql.feed import tables as feed
from hypehere.adapters.sql.learning import tables as learning
from hypehere.adapters.sql.matching import tables as matching
from hypehere.adapters.sql.moderation import tables as moderation
from hypehere.adapters.sql.notifications import tables as notifications
from hypehere.adapters.sql.outbox import tables as outbox
from hypehere.adapters.sql.search import tables as search
from hypehere.adapters.sql.users import tables as users

__all__ = [
    "analytics",
    "chat",
    "feed",
    "learning",
    "matching",
    "moderation",
    "notifications",
    "outbox",
    "search",
    "users",
]
