"""The subscription tables (notifications, feed, search, users): outbox events stored in
today's JSON shape map to the same commands the hand-written handlers built (the ten
notification handlers, and the search and post-count handlers that read the payload dicts),
the producers still write that shape byte for byte, and the generated handlers keep the
dispatcher's batching and ledger behaviour."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.common.subscriptions import Subscription
from hypehere.application.feed import handlers as feed
from hypehere.application.feed.cool_home_timelines import CoolHomeTimelinesCommand
from hypehere.application.feed.fan_out_post import FanOutPostCommand
from hypehere.application.feed.invalidate_feed import InvalidateFeedCommand
from hypehere.application.feed.retract_post import RetractPostCommand
from hypehere.application.notifications import handlers as notifications
from hypehere.application.notifications.forget_blocked_user import ForgetBlockedUserCommand
from hypehere.application.notifications.notify_comment import NotifyCommentCommand
from hypehere.application.notifications.notify_content_removed import (
    NotifyContentRemovedCommand,
)
from hypehere.application.notifications.notify_correction_accepted import (
    NotifyCorrectionAcceptedCommand,
)
from hypehere.application.notifications.notify_follow import NotifyFollowCommand
from hypehere.application.notifications.notify_like import NotifyLikeCommand
from hypehere.application.notifications.notify_mentions import NotifyMentionsCommand
from hypehere.application.notifications.notify_message import NotifyMessage, NotifyMessageCommand
from hypehere.application.notifications.notify_moderation_outcomes import (
    NotifyModerationOutcomeCommand,
)
from hypehere.application.notifications.notify_new_post import NotifyNewPostCommand
from hypehere.application.search import handlers as search
from hypehere.application.search.sync_lessons_to_search import SyncLessonsToSearchCommand
from hypehere.application.search.sync_post_to_search import SyncPostToSearchCommand
from hypehere.application.search.sync_user_to_search import SyncUserToSearchCommand
from hypehere.application.users import handlers as users
from hypehere.application.users.adjust_post_count import AdjustPostCountCommand
from hypehere.application.users.count_accepted_correction import CountAcceptedCorrectionCommand
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.feed.events import (
    CommentCreated,
    CommentLiked,
    CommentRemoved,
    PostCreated,
    PostDeleted,
    PostLiked,
    PostRemoved,
    PostRestored,
    PostUpdated,
)
from hypehere.domain.learning.events import CorrectionAccepted, LessonsChanged
from hypehere.domain.moderation.events import AppealDecided, ReportDecided, StrikeIssued
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.users.events import (
    UserBlocked,
    UserFollowed,
    UserProfileUpdated,
    UserRegistered,
    UserStateChanged,
    UserUnblocked,
    UserUnfollowed,
)
from tests.unit.notifications.fakes import World

pytestmark = pytest.mark.unit

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
EVENT_ID = "0195a1b2-0000-7000-8000-000000000001"

# What the outbox holds today for each topic: the JSON of `DomainEvent.payload()`, written
# out by hand so that a change on either side shows up here.
STORED: dict[str, bytes] = {
    "users.followed": b'{"follower_id":"bob","followee_id":"alice"}',
    "users.unfollowed": b'{"follower_id":"bob","followee_id":"alice"}',
    "users.blocked": b'{"blocker_id":"alice","blocked_id":"bob"}',
    "users.unblocked": b'{"blocker_id":"alice","blocked_id":"bob"}',
    "users.registered": (
        b'{"user_id":"alice","handle":"alice","nickname":"Alice","native_language":"ko",'
        b'"target_languages":[{"language":"en","level":"B1"}]}'
    ),
    "users.profile_updated": b'{"user_id":"alice"}',
    "users.state_changed": b'{"user_id":"alice","state":"banned"}',
    "feed.post_created": (
        b'{"post_id":"p1","author_id":"alice","language":"en","hashtags":["study"],'
        b'"mentioned_user_ids":["bob","carol"]}'
    ),
    "feed.comment_created": (
        b'{"comment_id":"c1","post_id":"p1","post_author_id":"alice","author_id":"carol",'
        b'"mentioned_user_ids":["bob"]}'
    ),
    "feed.post_liked": b'{"post_id":"p1","post_author_id":"alice","user_id":"bob"}',
    "feed.comment_liked": (
        b'{"comment_id":"c1","comment_author_id":"carol","post_id":"p1","user_id":"bob"}'
    ),
    "feed.post_updated": b'{"post_id":"p1","author_id":"alice","mentioned_user_ids":["bob"]}',
    "feed.post_deleted": b'{"post_id":"p1","author_id":"alice"}',
    "feed.post_removed": b'{"post_id":"p1","author_id":"alice"}',
    "feed.post_restored": b'{"post_id":"p1","author_id":"alice"}',
    "feed.comment_removed": b'{"comment_id":"c1","post_id":"p1","author_id":"carol"}',
    "chat.message_sent": (
        b'{"message_id":"m1","conversation_id":"k1","sender_id":"bob",'
        b'"recipient_ids":["alice"],"is_request":false}'
    ),
    "learning.correction_accepted": (
        b'{"correction_id":"x1","corrector_id":"bob","author_id":"alice",'
        b'"target_type":"post","target_id":"p1","language":"en","category":"grammar"}'
    ),
    "learning.lessons_changed": b'{"lesson_ids":["l1","l2"],"languages":["en","ko"]}',
    "moderation.report_decided": b'{"report_id":"r1","reporter_id":"bob","status":"resolved",'
    b'"filed_at":"2025-03-01T11:00:00+00:00"}',
    "moderation.strike_issued": (
        b'{"strike_id":"s1","user_id":"alice","action":"warning","content_type":null}'
    ),
    "moderation.appeal_decided": (
        b'{"appeal_id":"a1","strike_id":"s1","user_id":"alice","overturned":true}'
    ),
}

# The same facts as the producers raise them.
PRODUCED: list[DomainEvent] = [
    LessonsChanged(occurred_at=NOW, lesson_ids=("l1", "l2"), languages=("en", "ko")),
    UserFollowed(occurred_at=NOW, follower_id="bob", followee_id="alice"),
    UserUnfollowed(occurred_at=NOW, follower_id="bob", followee_id="alice"),
    UserBlocked(occurred_at=NOW, blocker_id="alice", blocked_id="bob"),
    UserUnblocked(occurred_at=NOW, blocker_id="alice", blocked_id="bob"),
    UserRegistered(
        occurred_at=NOW,
        user_id="alice",
        handle="alice",
        nickname="Alice",
        native_language="ko",
        target_languages=({"language": "en", "level": "B1"},),
    ),
    UserProfileUpdated(occurred_at=NOW, user_id="alice"),
    UserStateChanged(occurred_at=NOW, user_id="alice", state="banned"),
    PostCreated(
        occurred_at=NOW,
        post_id="p1",
        author_id="alice",
        language="en",
        hashtags=("study",),
        mentioned_user_ids=("bob", "carol"),
    ),
    CommentCreated(
        occurred_at=NOW,
        comment_id="c1",
        post_id="p1",
        post_author_id="alice",
        author_id="carol",
        mentioned_user_ids=("bob",),
    ),
    PostLiked(occurred_at=NOW, post_id="p1", post_author_id="alice", user_id="bob"),
    CommentLiked(
        occurred_at=NOW, comment_id="c1", comment_author_id="carol", post_id="p1", user_id="bob"
    ),
    PostUpdated(occurred_at=NOW, post_id="p1", author_id="alice", mentioned_user_ids=("bob",)),
    PostDeleted(occurred_at=NOW, post_id="p1", author_id="alice"),
    PostRemoved(occurred_at=NOW, post_id="p1", author_id="alice"),
    PostRestored(occurred_at=NOW, post_id="p1", author_id="alice"),
    CommentRemoved(occurred_at=NOW, comment_id="c1", post_id="p1", author_id="carol"),
    MessageSent(
        occurred_at=NOW,
        message_id="m1",
        conversation_id="k1",
        sender_id="bob",
        recipient_ids=("alice",),
        is_request=False,
    ),
    CorrectionAccepted(
        occurred_at=NOW,
        correction_id="x1",
        corrector_id="bob",
        author_id="alice",
        target_type="post",
        target_id="p1",
        language="en",
        category="grammar",
    ),
    ReportDecided(
        occurred_at=NOW,
        report_id="r1",
        reporter_id="bob",
        status="resolved",
        filed_at=datetime(2025, 3, 1, 11, 0, tzinfo=UTC),
    ),
    StrikeIssued(occurred_at=NOW, strike_id="s1", user_id="alice", action="warning"),
    AppealDecided(
        occurred_at=NOW, appeal_id="a1", strike_id="s1", user_id="alice", overturned=True
    ),
]

# What the hand-written handlers built from those payloads (per handler name).
EXPECTED: dict[str, object] = {
    "notifications.follow": NotifyFollowCommand(
        event_id=EVENT_ID, follower_id="bob", followee_id="alice"
    ),
    "notifications.new_post": NotifyNewPostCommand(
        event_id=EVENT_ID, post_id="p1", author_id="alice", mentioned_user_ids=["bob", "carol"]
    ),
    "notifications.post_mentions": NotifyMentionsCommand(
        event_id=EVENT_ID, author_id="alice", mentioned_user_ids=["bob", "carol"], post_id="p1"
    ),
    "notifications.comment": NotifyCommentCommand(
        event_id=EVENT_ID, comment_id="c1", post_id="p1", post_author_id="alice", author_id="carol"
    ),
    "notifications.comment_mentions": NotifyMentionsCommand(
        event_id=EVENT_ID,
        author_id="carol",
        mentioned_user_ids=["bob"],
        post_id="p1",
        comment_id="c1",
        exclude_ids=["alice"],
    ),
    "notifications.post_like": NotifyLikeCommand(
        event_id=EVENT_ID, liker_id="bob", owner_id="alice", post_id="p1"
    ),
    "notifications.comment_like": NotifyLikeCommand(
        event_id=EVENT_ID, liker_id="bob", owner_id="carol", post_id="p1", comment_id="c1"
    ),
    "notifications.message": NotifyMessageCommand(
        event_id=EVENT_ID,
        message_id="m1",
        conversation_id="k1",
        sender_id="bob",
        recipient_ids=["alice"],
        is_request=False,
    ),
    "notifications.post_removed": NotifyContentRemovedCommand(
        event_id=EVENT_ID, author_id="alice", post_id="p1"
    ),
    "notifications.comment_removed": NotifyContentRemovedCommand(
        event_id=EVENT_ID, author_id="carol", post_id="p1", comment_id="c1"
    ),
    "notifications.report_decided": NotifyModerationOutcomeCommand(
        event_id=EVENT_ID, kind="report", recipient_id="bob", target_type="report", target_id="r1"
    ),
    "notifications.strike_issued": NotifyModerationOutcomeCommand(
        event_id=EVENT_ID,
        kind="moderation",
        recipient_id="alice",
        target_type="strike",
        target_id="s1",
    ),
    "notifications.appeal_decided": NotifyModerationOutcomeCommand(
        event_id=EVENT_ID, kind="appeal", recipient_id="alice", target_type="appeal", target_id="a1"
    ),
    "notifications.forget_blocked": ForgetBlockedUserCommand(blocker_id="alice", blocked_id="bob"),
    "feed.invalidate_on_follow": InvalidateFeedCommand(["bob"]),
    "feed.invalidate_on_unfollow": InvalidateFeedCommand(["bob"]),
    "feed.invalidate_on_block": InvalidateFeedCommand(["alice", "bob"]),
    "feed.invalidate_on_unblock": InvalidateFeedCommand(["alice", "bob"]),
    "feed.home_timeline_fan_out": FanOutPostCommand("p1"),
    "feed.home_timeline_retract": RetractPostCommand("p1", "alice"),
    "feed.home_timeline_on_follow": CoolHomeTimelinesCommand("bob"),
    "feed.home_timeline_on_unfollow": CoolHomeTimelinesCommand("bob"),
    "search.post_created": SyncPostToSearchCommand("p1"),
    "search.post_updated": SyncPostToSearchCommand("p1"),
    "search.post_deleted": SyncPostToSearchCommand("p1"),
    "search.post_removed": SyncPostToSearchCommand("p1"),
    "search.post_restored": SyncPostToSearchCommand("p1"),
    "search.user_registered": SyncUserToSearchCommand("alice"),
    "search.user_profile_updated": SyncUserToSearchCommand("alice"),
    "search.user_state_changed": SyncUserToSearchCommand("alice", purged=False),
    "search.lessons_changed": SyncLessonsToSearchCommand(("l1", "l2"), ("en", "ko")),
    "users.count_created_post": AdjustPostCountCommand(author_id="alice", delta=1),
    "users.count_deleted_post": AdjustPostCountCommand(author_id="alice", delta=-1),
    "users.count_accepted_correction": CountAcceptedCorrectionCommand(corrector_id="bob"),
    "notifications.correction_accepted": NotifyCorrectionAcceptedCommand(
        event_id=EVENT_ID,
        corrector_id="bob",
        author_id="alice",
        target_type="post",
        target_id="p1",
    ),
}

TABLES = (notifications, feed, search, users)
ROWS: dict[str, Subscription[Any, Any]] = {
    row.handler_name: row for table in TABLES for row in table.SUBSCRIPTIONS
}


def stored(topic: str, payload: bytes | None = None) -> OutboxMessage:
    """An outbox message as the store hands it over (payload decoded from its JSON)."""
    raw = STORED[topic] if payload is None else payload
    return OutboxMessage(EVENT_ID, topic, msgspec.json.decode(raw), NOW)


def test_every_row_is_checked_here() -> None:
    assert set(ROWS) == set(EXPECTED)


@pytest.mark.parametrize("event", PRODUCED, ids=lambda e: e.topic)
def test_producers_write_todays_payloads_byte_for_byte(event: DomainEvent) -> None:
    assert msgspec.json.encode(event.payload()) == STORED[event.topic]


@pytest.mark.parametrize("event", PRODUCED, ids=lambda e: e.topic)
def test_a_stored_payload_reads_back_as_the_producers_event(event: DomainEvent) -> None:
    message = msgspec.structs.replace(stored(event.topic), id=event.event_id)
    assert message.event(type(event)) == event


def test_a_report_decision_stored_before_filed_at_existed_still_reads() -> None:
    old = stored(
        "moderation.report_decided", b'{"report_id":"r1","reporter_id":"bob","status":"resolved"}'
    )
    assert old.event(ReportDecided).filed_at is None


def test_a_strike_stored_before_content_type_existed_still_reads() -> None:
    old = stored(
        "moderation.strike_issued", b'{"strike_id":"s1","user_id":"alice","action":"warning"}'
    )
    assert old.event(StrikeIssued).content_type is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_todays_payloads_map_to_the_same_commands(name: str) -> None:
    row = ROWS[name]
    assert row.command_for(stored(row.topic)) == EXPECTED[name]


def test_no_mention_no_mention_command() -> None:
    post = stored(
        "feed.post_created",
        b'{"post_id":"p1","author_id":"alice","language":"en","hashtags":[],'
        b'"mentioned_user_ids":[]}',
    )
    comment = stored(
        "feed.comment_created",
        b'{"comment_id":"c1","post_id":"p1","post_author_id":"alice","author_id":"carol",'
        b'"mentioned_user_ids":[]}',
    )
    assert ROWS["notifications.post_mentions"].command_for(post) is None
    assert ROWS["notifications.comment_mentions"].command_for(comment) is None
    assert ROWS["notifications.new_post"].command_for(post) is not None


def test_a_purged_account_takes_its_posts_out_of_search() -> None:
    row = ROWS["search.user_state_changed"]
    purged = stored("users.state_changed", b'{"user_id":"alice","state":"deleted"}')
    assert row.command_for(purged) == SyncUserToSearchCommand("alice", purged=True)


def test_unknown_fields_are_ignored_and_missing_ones_refused() -> None:
    row = ROWS["notifications.post_like"]
    extra = stored(
        "feed.post_liked",
        b'{"post_id":"p1","post_author_id":"alice","user_id":"bob","reaction":"heart"}',
    )
    assert row.command_for(extra) == EXPECTED["notifications.post_like"]
    with pytest.raises(msgspec.ValidationError, match="user_id"):
        row.command_for(stored("feed.post_liked", b'{"post_id":"p1","post_author_id":"alice"}'))
    with pytest.raises(ValueError, match="not a PostLiked"):
        row.command_for(stored("feed.comment_liked"))


def test_only_the_message_row_batches_and_skips_the_ledger() -> None:
    batching = {n for n, row in ROWS.items() if hasattr(row.handler_type, "handle_batch")}
    dedup = {n for n, row in ROWS.items() if getattr(row.handler_type, "dedups_by_event", False)}
    assert batching == {"notifications.message"}
    # The home-timeline rows' effects are idempotent (add, remove, drop): no ledger needed.
    home = {n for n in ROWS if n.startswith("feed.home_timeline_")}
    assert len(home) == 4
    assert dedup == {"notifications.message"} | home
    assert len({row.handler_type for row in ROWS.values()}) == len(ROWS)


async def test_the_generated_handlers_run_the_use_cases() -> None:
    world = World()
    message = ROWS["notifications.message"]
    handler: Any = message.handler(NotifyMessage(world.run))
    runs = [
        msgspec.structs.replace(
            stored("chat.message_sent"),
            id=f"0195a1b2-0000-7000-8000-00000000001{i}",
            payload={**stored("chat.message_sent").payload, "message_id": f"m{i}"},
        )
        for i in range(3)
    ]
    await handler.handle_batch(runs[:2])
    await handler.handle(runs[2])
    await handler.handle_batch(runs)  # redelivered: keyed by event, nothing new
    assert sorted(n.target.id for n in world.of("alice")) == ["m0", "m1", "m2"]


def test_a_content_removed_strike_is_told_by_the_removal_event_only() -> None:
    row = ROWS["notifications.strike_issued"]
    payload = b'{"strike_id":"s1","user_id":"alice","action":"content_removed"}'
    assert row.command_for(stored("moderation.strike_issued", payload)) is None
