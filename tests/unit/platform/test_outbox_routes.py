"""The outbox subscriptions keep their topics and handler names: a handler name keys the
idempotency ledger, so a renamed handler would process every stored event again, and a
changed topic would leave the stored events of the old one unhandled."""

from __future__ import annotations

import pytest

from hypehere.bootstrap.outbox_routes import OUTBOX_ROUTES

pytestmark = pytest.mark.unit

DEPLOYED = [
    ("users.followed", "notifications.follow"),
    ("feed.post_created", "notifications.new_post"),
    ("feed.post_created", "notifications.post_mentions"),
    ("feed.comment_created", "notifications.comment"),
    ("feed.comment_created", "notifications.comment_mentions"),
    ("feed.post_liked", "notifications.post_like"),
    ("feed.comment_liked", "notifications.comment_like"),
    ("chat.message_sent", "notifications.message"),
    ("feed.post_removed", "notifications.post_removed"),
    ("feed.comment_removed", "notifications.comment_removed"),
    ("users.blocked", "notifications.forget_blocked"),
    ("feed.post_created", "search.post_created"),
    ("feed.post_updated", "search.post_updated"),
    ("feed.post_deleted", "search.post_deleted"),
    ("feed.post_removed", "search.post_removed"),
    ("users.registered", "search.user_registered"),
    ("users.profile_updated", "search.user_profile_updated"),
    ("users.state_changed", "search.user_state_changed"),
    ("users.followed", "feed.invalidate_on_follow"),
    ("users.unfollowed", "feed.invalidate_on_unfollow"),
    ("users.blocked", "feed.invalidate_on_block"),
    ("users.unblocked", "feed.invalidate_on_unblock"),
    ("feed.post_created", "users.count_created_post"),
    ("feed.post_deleted", "users.count_deleted_post"),
]


def test_deployed_routes_keep_their_topics_and_names() -> None:
    routes = [(route.topic, route.handler_name) for route in OUTBOX_ROUTES]
    assert [r for r in routes if r in DEPLOYED] == DEPLOYED


def test_handler_names_are_unique() -> None:
    names = [route.handler_name for route in OUTBOX_ROUTES]
    assert len(names) == len(set(names))
