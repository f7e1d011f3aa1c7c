"""Events -> feed use cases: drop the cached ranked feed sessions of the users whose
social graph changed (see `application/common/subscriptions.py`)."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.feed.invalidate_feed import InvalidateFeed, InvalidateFeedCommand
from hypehere.domain.users.events import UserBlocked, UserFollowed, UserUnblocked, UserUnfollowed

# Not annotated: mypy then checks each row's mapper against its event and use case.
SUBSCRIPTIONS = (
    Subscription(
        "feed.invalidate_on_follow",
        UserFollowed,
        InvalidateFeed,
        lambda e: InvalidateFeedCommand([e.follower_id]),
    ),
    Subscription(
        "feed.invalidate_on_unfollow",
        UserUnfollowed,
        InvalidateFeed,
        lambda e: InvalidateFeedCommand([e.follower_id]),
    ),
    Subscription(
        "feed.invalidate_on_block",
        UserBlocked,
        InvalidateFeed,
        lambda e: InvalidateFeedCommand([e.blocker_id, e.blocked_id]),
    ),
    Subscription(
        "feed.invalidate_on_unblock",
        UserUnblocked,
        InvalidateFeed,
        lambda e: InvalidateFeedCommand([e.blocker_id, e.blocked_id]),
    ),
)
