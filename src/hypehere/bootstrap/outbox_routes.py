"""Outbox subscriptions: which handler processes which event topic.

To subscribe, append one row:

    OutboxRoute("users.registered", "search.index_user", IndexUserOnRegistered),

- `topic`: an event topic from the shared list (e.g. `feed.post_created`);
- `handler_name`: unique, stable `<module>.<what>`; it keys the idempotency ledger
  (`handled_events`), so renaming a deployed handler makes it process old events again;
- `handler_type`: a class with `async def handle(self, message: OutboxMessage) -> None`
  (from `hypehere.application.common.outbox`). It is registered in the container (REQUEST
  scope) from this row, its constructor's ports are injected, and it runs in one
  transaction with its idempotency record.

A module whose handlers only map an event to one of its use cases lists them as a table of
`Subscription` rows instead (`application/common/subscriptions.py`), added here with
`*subscribed(module.SUBSCRIPTIONS)`.

Keep this module import-light: import handler classes, nothing that opens connections.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from hypehere.application.common.outbox import OutboxHandler
from hypehere.application.common.subscriptions import Subscription
from hypehere.application.feed import handlers as feed
from hypehere.application.notifications import handlers as notifications
from hypehere.application.search.sync_post_to_search import SyncPostToSearch
from hypehere.application.search.sync_user_to_search import SyncUserToSearch
from hypehere.application.users.adjust_post_count import AdjustPostCount


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
    # --- search: each handler re-reads the current row, so order and redelivery are harmless
    OutboxRoute("feed.post_created", "search.post_created", SyncPostToSearch),
    OutboxRoute("feed.post_updated", "search.post_updated", SyncPostToSearch),
    OutboxRoute("feed.post_deleted", "search.post_deleted", SyncPostToSearch),
    OutboxRoute("feed.post_removed", "search.post_removed", SyncPostToSearch),
    OutboxRoute("users.registered", "search.user_registered", SyncUserToSearch),
    OutboxRoute("users.profile_updated", "search.user_profile_updated", SyncUserToSearch),
    OutboxRoute("users.state_changed", "search.user_state_changed", SyncUserToSearch),
    # --- feed: drop cached ranked feed sessions when the social graph changes
    *subscribed(feed.SUBSCRIPTIONS),
    # --- users: denormalized post_count on the author
    OutboxRoute("feed.post_created", "users.count_created_post", AdjustPostCount),
    OutboxRoute("feed.post_deleted", "users.count_deleted_post", AdjustPostCount),
]
