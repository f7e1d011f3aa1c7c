"""Outbox subscriptions: which handler processes which event topic.

Every module that reacts to events lists what it does as a table of `Subscription` rows
(typed event -> command -> use case, `application/common/subscriptions.py`) in
`application/<module>/handlers.py`; it is added here with `*subscribed(module.SUBSCRIPTIONS)`,
one `OutboxRoute` per row:

- `topic`: the row's event topic (e.g. `feed.post_created`);
- `handler_name`: unique, stable `<module>.<what>`; it keys the idempotency ledger
  (`handled_events`), so renaming a deployed handler makes it process old events again;
- `handler_type`: a class with `async def handle(self, message: OutboxMessage) -> None`
  (from `hypehere.application.common.outbox`; a row's is generated). It is registered in
  the container (REQUEST scope) from this list, its constructor's ports are injected, and
  it runs in one transaction with its idempotency record.

Keep this module import-light: import handler tables, nothing that opens connections.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from hypehere.application.analytics import handlers as analytics
from hypehere.application.common.outbox import OutboxHandler
from hypehere.application.common.subscriptions import Subscription
from hypehere.application.feed import handlers as feed
from hypehere.application.matching import handlers as matching
from hypehere.application.moderation import handlers as moderation
from hypehere.application.notifications import handlers as notifications
from hypehere.application.search import handlers as search
from hypehere.application.users import handlers as users


class OutboxRoute(NamedTuple):
    topic: str
    handler_name: str
    handler_type: type[OutboxHandler]


def subscribed(table: Iterable[Subscription[Any, Any]]) -> list[OutboxRoute]:
    """The routes of a module's subscription table (`application/<module>/handlers.py`)."""
    return [OutboxRoute(row.topic, row.handler_name, row.handler_type) for row in table]


OUTBOX_ROUTES: list[OutboxRoute] = [
    # --- notifications: one route per row of application/notifications/handlers.py
    *subscribed(notifications.SUBSCRIPTIONS),
    # --- search: each use case re-reads the current row, so order and redelivery are harmless
    *subscribed(search.SUBSCRIPTIONS),
    # --- feed: drop cached ranked feed sessions when the social graph changes
    *subscribed(feed.SUBSCRIPTIONS),
    # --- users: denormalized post_count on the author
    *subscribed(users.SUBSCRIPTIONS),
    # --- moderation: new posts and comments are classified after publication (fail-open)
    *subscribed(moderation.SUBSCRIPTIONS),
    # --- matching: a block ends the two people's anonymous conversation
    *subscribed(matching.SUBSCRIPTIONS),
    # --- analytics: the activity log of product events (ids and figures, no content)
    *subscribed(analytics.SUBSCRIPTIONS),
]
