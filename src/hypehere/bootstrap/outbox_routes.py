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

Keep this module import-light: import handler classes, nothing that opens connections.
"""

from __future__ import annotations

from typing import NamedTuple

from hypehere.application.common.outbox import OutboxHandler
from hypehere.application.feed.invalidate_feed import FeedInvalidationHandler
from hypehere.application.notifications import handlers as notifications
from hypehere.application.search.sync_post_to_search import SyncPostToSearch
from hypehere.application.search.sync_user_to_search import SyncUserToSearch
from hypehere.application.users.adjust_post_count import AdjustPostCount


class OutboxRoute(NamedTuple):
    topic: str
    handler_name: str
    handler_type: type[OutboxHandler]


OUTBOX_ROUTES: list[OutboxRoute] = [
    # --- notifications ---
    OutboxRoute("users.followed", "notifications.follow", notifications.FollowNotificationHandler),
    OutboxRoute(
        "feed.post_created", "notifications.new_post", notifications.NewPostNotificationHandler
    ),
    OutboxRoute(
        "feed.post_created",
        "notifications.post_mentions",
        notifications.PostMentionNotificationHandler,
    ),
    OutboxRoute(
        "feed.comment_created", "notifications.comment", notifications.CommentNotificationHandler
    ),
    OutboxRoute(
        "feed.comment_created",
        "notifications.comment_mentions",
        notifications.CommentMentionNotificationHandler,
    ),
    OutboxRoute(
        "feed.post_liked", "notifications.post_like", notifications.PostLikeNotificationHandler
    ),
    OutboxRoute(
        "feed.comment_liked",
        "notifications.comment_like",
        notifications.CommentLikeNotificationHandler,
    ),
    OutboxRoute(
        "chat.message_sent", "notifications.message", notifications.MessageNotificationHandler
    ),
    OutboxRoute(
        "feed.post_removed",
        "notifications.post_removed",
        notifications.ContentRemovedNotificationHandler,
    ),
    OutboxRoute(
        "feed.comment_removed",
        "notifications.comment_removed",
        notifications.ContentRemovedNotificationHandler,
    ),
    OutboxRoute(
        "users.blocked", "notifications.forget_blocked", notifications.BlockNotificationHandler
    ),
    # --- search: each handler re-reads the current row, so order and redelivery are harmless
    OutboxRoute("feed.post_created", "search.post_created", SyncPostToSearch),
    OutboxRoute("feed.post_updated", "search.post_updated", SyncPostToSearch),
    OutboxRoute("feed.post_deleted", "search.post_deleted", SyncPostToSearch),
    OutboxRoute("feed.post_removed", "search.post_removed", SyncPostToSearch),
    OutboxRoute("users.registered", "search.user_registered", SyncUserToSearch),
    OutboxRoute("users.profile_updated", "search.user_profile_updated", SyncUserToSearch),
    OutboxRoute("users.state_changed", "search.user_state_changed", SyncUserToSearch),
    # --- feed: drop cached ranked feed sessions when the social graph changes
    OutboxRoute("users.followed", "feed.invalidate_on_follow", FeedInvalidationHandler),
    OutboxRoute("users.unfollowed", "feed.invalidate_on_unfollow", FeedInvalidationHandler),
    OutboxRoute("users.blocked", "feed.invalidate_on_block", FeedInvalidationHandler),
    OutboxRoute("users.unblocked", "feed.invalidate_on_unblock", FeedInvalidationHandler),
    # --- users: denormalized post_count on the author
    OutboxRoute("feed.post_created", "users.count_created_post", AdjustPostCount),
    OutboxRoute("feed.post_deleted", "users.count_deleted_post", AdjustPostCount),
]
