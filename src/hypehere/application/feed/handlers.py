"""Events -> feed use cases: drop the cached ranked feed sessions of the users whose
social graph changed; keep the home timelines (`home_timeline.py`) filled when they are
enabled (see `application/common/subscriptions.py`). The home-timeline rows are
`dedups_by_event`: adding, removing or dropping twice has the effect of once."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.feed.cool_home_timelines import (
    CoolHomeTimelines,
    CoolHomeTimelinesCommand,
)
from hypehere.application.feed.fan_out_post import FanOutPost, FanOutPostCommand
from hypehere.application.feed.invalidate_feed import InvalidateFeed, InvalidateFeedCommand
from hypehere.application.feed.retract_post import RetractPost, RetractPostCommand
from hypehere.domain.feed.events import PostCreated, PostDeleted
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
    Subscription(
        "feed.home_timeline_fan_out",
        PostCreated,
        FanOutPost,
        lambda e: FanOutPostCommand(e.post_id),
        dedups_by_event=True,
    ),
    Subscription(
        "feed.home_timeline_retract",
        PostDeleted,
        RetractPost,
        lambda e: RetractPostCommand(e.post_id, e.author_id),
        dedups_by_event=True,
    ),
    Subscription(
        "feed.home_timeline_on_follow",
        UserFollowed,
        CoolHomeTimelines,
        lambda e: CoolHomeTimelinesCommand(e.follower_id),
        dedups_by_event=True,
    ),
    Subscription(
        "feed.home_timeline_on_unfollow",
        UserUnfollowed,
        CoolHomeTimelines,
        lambda e: CoolHomeTimelinesCommand(e.follower_id),
        dedups_by_event=True,
    ),
)
