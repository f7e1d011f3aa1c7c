from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.common.topics import user_notifications_topic
from hypehere.application.notifications.compose import NotifyResult
from hypehere.application.notifications.forget_blocked_user import (
    ForgetBlockedUser,
    ForgetBlockedUserCommand,
)
from hypehere.application.notifications.get_notification_settings import (
    GetNotificationSettings,
    GetNotificationSettingsCommand,
)
from hypehere.application.notifications.get_unread_count import (
    GetUnreadCount,
    GetUnreadCountCommand,
)
from hypehere.application.notifications.list_notifications import (
    ListNotifications,
    ListNotificationsCommand,
)
from hypehere.application.notifications.mark_notifications_read import (
    MarkNotificationsRead,
    MarkNotificationsReadCommand,
)
from hypehere.application.notifications.notify_comment import NotifyComment, NotifyCommentCommand
from hypehere.application.notifications.notify_content_removed import (
    NotifyContentRemoved,
    NotifyContentRemovedCommand,
)
from hypehere.application.notifications.notify_follow import NotifyFollow, NotifyFollowCommand
from hypehere.application.notifications.notify_like import NotifyLike, NotifyLikeCommand
from hypehere.application.notifications.notify_mentions import (
    NotifyMentions,
    NotifyMentionsCommand,
)
from hypehere.application.notifications.notify_message import NotifyMessage, NotifyMessageCommand
from hypehere.application.notifications.notify_new_post import NotifyNewPost, NotifyNewPostCommand
from hypehere.application.notifications.update_notification_settings import (
    UpdateNotificationSettings,
    UpdateNotificationSettingsCommand,
)
from hypehere.domain.notifications.errors import UnknownNotificationKindError
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.ids import new_id
from tests.unit.notifications.fakes import World

pytestmark = pytest.mark.unit


@pytest.fixture
def world() -> World:
    return World()


def like(
    world: World, liker: str, owner: str, post: str = "p1", event: str | None = None
) -> Coroutine[Any, Any, NotifyResult]:
    return NotifyLike(world.run).execute(
        NotifyLikeCommand(event_id=event or new_id(), liker_id=liker, owner_id=owner, post_id=post)
    )


async def test_follow_creates_notification_and_pushes_it_with_the_unread_count(
    world: World,
) -> None:
    result = await NotifyFollow(world.run).execute(
        NotifyFollowCommand(event_id=new_id(), follower_id="bob", followee_id="alice")
    )
    assert result.notified == 1
    [n] = world.of("alice")
    assert (n.kind, n.actor_ids, n.actor_count, n.target.type, n.target.id) == (
        "follow",
        ["bob"],
        1,
        "user",
        "alice",
    )
    assert world.uow.commits == 1
    frames = world.broker.frames(user_notifications_topic("alice"))
    assert [f["type"] for f in frames] == ["notification", "unread_count"]
    assert frames[0]["notification"]["actors"][0]["handle"] == "bob"
    assert frames[1]["count"] == 1


async def test_likes_on_the_same_post_group_with_latest_actors_first(world: World) -> None:
    for liker in ("bob", "carol", "dave", "erin"):
        await like(world, liker, "alice")
        world.clock.advance(minutes=1)
    [n] = world.of("alice")
    assert n.actor_count == 4
    assert n.actor_ids == ["erin", "dave", "carol"]
    assert n.updated_at > n.created_at


async def test_likes_on_different_posts_do_not_group(world: World) -> None:
    await like(world, "bob", "alice", post="p1")
    await like(world, "carol", "alice", post="p2")
    assert len(world.of("alice")) == 2


async def test_a_read_group_or_an_old_one_starts_a_new_notification(world: World) -> None:
    await like(world, "bob", "alice")
    await MarkNotificationsRead(world.uow, world.store, world.publisher, world.clock).execute(
        MarkNotificationsReadCommand(actor=Actor("alice"), all=True)
    )
    await like(world, "carol", "alice")
    world.clock.advance(hours=25)
    await like(world, "dave", "alice")
    assert [n.actor_ids for n in world.of("alice")] == [["bob"], ["carol"], ["dave"]]


async def test_the_same_liker_twice_counts_once(world: World) -> None:
    await like(world, "bob", "alice")
    await like(world, "carol", "alice")
    second = await like(world, "bob", "alice")
    assert second.notified == 0
    [n] = world.of("alice")
    assert n.actor_count == 2


async def test_redelivered_events_change_nothing(world: World) -> None:
    follow = NotifyFollowCommand(event_id="e-follow", follower_id="bob", followee_id="alice")
    comment = NotifyCommentCommand(
        event_id="e-comment",
        comment_id="c1",
        post_id="p1",
        post_author_id="alice",
        author_id="carol",
    )
    message = NotifyMessageCommand(
        event_id="e-msg",
        message_id="m1",
        conversation_id="c",
        sender_id="dave",
        recipient_ids=["alice"],
    )
    for _ in range(2):
        await NotifyFollow(world.run).execute(follow)
        await like(world, "bob", "alice", event="e-like")
        await NotifyComment(world.run).execute(comment)
        await NotifyMessage(world.run).execute(message)
    assert sorted((n.kind, n.actor_count) for n in world.of("alice")) == [
        ("comment", 1),
        ("follow", 1),
        ("like", 1),
        ("message", 1),
    ]
    pushed = [
        f
        for f in world.broker.frames(user_notifications_topic("alice"))
        if f["type"] == "notification"
    ]
    assert len(pushed) == 4


async def test_redelivered_first_like_after_the_group_was_read_is_not_recreated(
    world: World,
) -> None:
    await like(world, "bob", "alice", event="e1")
    await MarkNotificationsRead(world.uow, world.store, world.publisher, world.clock).execute(
        MarkNotificationsReadCommand(actor=Actor("alice"), all=True)
    )
    await like(world, "bob", "alice", event="e1")
    assert len(world.of("alice")) == 1


async def test_no_notification_to_yourself(world: World) -> None:
    await like(world, "alice", "alice")
    await NotifyComment(world.run).execute(
        NotifyCommentCommand(
            event_id=new_id(),
            comment_id="c1",
            post_id="p1",
            post_author_id="alice",
            author_id="alice",
        )
    )
    assert world.of("alice") == []
    assert world.broker.published == []


@pytest.mark.parametrize("blocker,blocked", [("alice", "bob"), ("bob", "alice")])
async def test_no_notification_between_blocked_users(
    world: World, blocker: str, blocked: str
) -> None:
    world.audience.blocks.add((blocker, blocked))
    await like(world, "bob", "alice")
    await NotifyFollow(world.run).execute(
        NotifyFollowCommand(event_id=new_id(), follower_id="bob", followee_id="alice")
    )
    assert world.of("alice") == []


async def test_muted_kinds_are_not_created_and_settings_round_trip(world: World) -> None:
    update = UpdateNotificationSettings(world.uow, world.settings, world.clock)
    result = await update.execute(
        UpdateNotificationSettingsCommand(
            actor=Actor("alice"), kinds={"like": False}, channels={"comment": {"push": False}}
        )
    )
    assert result.kinds["like"] is False
    assert result.channels["comment"] == {"in_app": True, "push": False}
    await like(world, "bob", "alice")
    await NotifyComment(world.run).execute(
        NotifyCommentCommand(
            event_id=new_id(),
            comment_id="c1",
            post_id="p1",
            post_author_id="alice",
            author_id="bob",
        )
    )
    assert [n.kind for n in world.of("alice")] == ["comment"]
    fresh = await GetNotificationSettings(world.settings).execute(
        GetNotificationSettingsCommand(actor=Actor("alice"))
    )
    assert fresh == result
    assert set(fresh.kinds) == {
        "message",
        "follow",
        "post",
        "comment",
        "like",
        "mention",
        "report",
        "moderation",
        "correction",
        "appeal",
    }


async def test_unknown_kind_in_settings_is_rejected(world: World) -> None:
    update = UpdateNotificationSettings(world.uow, world.settings, world.clock)
    with pytest.raises(UnknownNotificationKindError):
        await update.execute(
            UpdateNotificationSettingsCommand(actor=Actor("alice"), kinds={"nope": False})
        )
    with pytest.raises(InvalidInputError):
        await update.execute(
            UpdateNotificationSettingsCommand(
                actor=Actor("alice"), channels={"like": {"carrier_pigeon": True}}
            )
        )


async def test_message_in_requests_folder_is_not_notified(world: World) -> None:
    notify = NotifyMessage(world.run)
    await notify.execute(
        NotifyMessageCommand(
            event_id=new_id(),
            message_id="m1",
            conversation_id="c1",
            sender_id="bob",
            recipient_ids=["alice"],
            is_request=True,
        )
    )
    assert world.of("alice") == []
    await notify.execute(
        NotifyMessageCommand(
            event_id=new_id(),
            message_id="m2",
            conversation_id="c1",
            sender_id="bob",
            recipient_ids=["alice"],
        )
    )
    [n] = world.of("alice")
    assert (n.kind, n.target.id, n.target.parent_id) == ("message", "m2", "c1")


async def test_a_run_of_messages_is_notified_in_one_transaction_with_the_same_rules(
    world: World,
) -> None:
    world.audience.blocks.add(("carol", "dave"))
    await UpdateNotificationSettings(world.uow, world.settings, world.clock).execute(
        UpdateNotificationSettingsCommand(actor=Actor("erin"), kinds={"message": False})
    )
    world.uow.commits = 0

    def message(n: int, sender: str, recipient: str, **extra: Any) -> NotifyMessageCommand:
        return NotifyMessageCommand(
            event_id=f"e{n}",
            message_id=f"m{n}",
            conversation_id=f"c-{sender}-{recipient}",
            sender_id=sender,
            recipient_ids=[recipient],
            **extra,
        )

    run = [
        message(1, "bob", "alice"),
        message(2, "alice", "bob"),
        message(3, "bob", "alice"),
        message(4, "carol", "dave"),  # blocked pair: nothing
        message(5, "bob", "erin"),  # erin muted messages: nothing
        message(6, "bob", "alice", is_request=True),  # in requests: nothing
        message(7, "bob", "bob"),  # to yourself: nothing
    ]
    result = await NotifyMessage(world.run).execute_many(run)

    assert result.notified == 3
    assert world.uow.commits == 1
    assert [n.target.id for n in world.of("alice")] == ["m1", "m3"]
    assert [n.target.id for n in world.of("bob")] == ["m2"]
    assert world.of("dave") == world.of("erin") == []
    alice_frames = world.broker.frames(user_notifications_topic("alice"))
    # each notification pushed, then one unread count per recipient for the whole run
    assert [f["type"] for f in alice_frames] == ["notification", "notification", "unread_count"]
    assert alice_frames[-1]["count"] == 2
    # the run's 3 notifications and 2 unread counts: one round trip to the broker
    assert len(world.broker.published) == 5 and world.broker.calls == 1

    # redelivered (whole or in part): nothing new
    again = await NotifyMessage(world.run).execute_many(
        [run[0], run[1], message(8, "bob", "alice")]
    )
    assert again.notified == 1
    assert [n.target.id for n in world.of("alice")] == ["m1", "m3", "m8"]


async def test_new_post_fans_out_to_followers_in_batches_and_mentions_win(world: World) -> None:
    followers = [f"f{i:03d}" for i in range(25)]
    for f in followers:
        world.audience.add_user(f)
        world.audience.follows.add((f, "alice"))
    world.audience.blocks.add(("f003", "alice"))
    await world.settings.save(
        (await world.settings.get("f004")).__class__.from_plain(
            "f004", {"post": {"in_app": False}}
        ),
        world.clock.now(),
    )
    post = NotifyNewPost(world.uow, world.audience, world.composer, world.publisher, batch_size=10)
    result = await post.execute(
        NotifyNewPostCommand(
            event_id="e1", post_id="p1", author_id="alice", mentioned_user_ids=["f005"]
        )
    )
    notified = {n.recipient_id for n in world.store.rows.values()}
    assert notified == set(followers) - {"f003", "f004", "f005"}
    assert result.notified == 22
    again = await post.execute(
        NotifyNewPostCommand(
            event_id="e1", post_id="p1", author_id="alice", mentioned_user_ids=["f005"]
        )
    )
    assert again.notified == 0
    assert len(world.store.rows) == 22


async def test_fanout_cap(world: World) -> None:
    for i in range(30):
        world.audience.add_user(f"f{i:03d}")
        world.audience.follows.add((f"f{i:03d}", "alice"))
    post = NotifyNewPost(
        world.uow, world.audience, world.composer, world.publisher, batch_size=7, max_recipients=12
    )
    result = await post.execute(
        NotifyNewPostCommand(event_id="e1", post_id="p1", author_id="alice")
    )
    assert result.notified == 12


async def test_mentions_skip_excluded_and_author(world: World) -> None:
    await NotifyMentions(world.run).execute(
        NotifyMentionsCommand(
            event_id=new_id(),
            author_id="bob",
            mentioned_user_ids=["alice", "bob", "carol"],
            post_id="p1",
            comment_id="c1",
            exclude_ids=["carol"],
        )
    )
    assert [n.kind for n in world.of("alice")] == ["mention"]
    assert world.of("bob") == [] and world.of("carol") == []


async def test_list_mark_read_and_unread_count(world: World) -> None:
    await like(world, "bob", "alice", post="p1")
    world.clock.advance(seconds=1)
    await like(world, "carol", "alice", post="p2")
    world.clock.advance(seconds=1)
    await like(world, "dave", "alice", post="p3")
    lister = ListNotifications(world.store)
    page = await lister.execute(ListNotificationsCommand(actor=Actor("alice"), limit=2))
    assert [v.actors[0].id for v in page.items] == ["dave", "carol"]
    rest = await lister.execute(
        ListNotificationsCommand(actor=Actor("alice"), limit=2, cursor=page.next_cursor)
    )
    assert [v.actors[0].id for v in rest.items] == ["bob"] and rest.next_cursor is None

    mark = MarkNotificationsRead(world.uow, world.store, world.publisher, world.clock)
    result = await mark.execute(
        MarkNotificationsReadCommand(actor=Actor("alice"), ids=[page.items[0].id, "not-mine"])
    )
    assert (result.updated, result.unread_count) == (1, 2)
    assert world.broker.frames(user_notifications_topic("alice"))[-1] == {
        "type": "unread_count",
        "count": 2,
    }
    unread = await lister.execute(ListNotificationsCommand(actor=Actor("alice"), unread_only=True))
    assert len(unread.items) == 2
    count = await GetUnreadCount(world.store).execute(GetUnreadCountCommand(actor=Actor("alice")))
    assert count.count == 2
    # Someone else's ids are ignored.
    other = await mark.execute(MarkNotificationsReadCommand(actor=Actor("bob"), all=True))
    assert other.updated == 0


async def test_mark_read_needs_ids_or_all(world: World) -> None:
    mark = MarkNotificationsRead(world.uow, world.store, world.publisher, world.clock)
    with pytest.raises(InvalidInputError):
        await mark.execute(MarkNotificationsReadCommand(actor=Actor("alice")))
    with pytest.raises(InvalidInputError):
        await mark.execute(MarkNotificationsReadCommand(actor=Actor("alice"), ids=["x"], all=True))


async def test_pushes_wait_for_the_outermost_commit_and_vanish_on_rollback(
    world: World,
) -> None:
    # The outbox dispatcher wraps a handler in its own transaction (re-entrant unit of work).
    async with world.uow:
        await like(world, "bob", "alice")
        assert world.broker.published == []
    assert [m.topic for m in world.broker.published] == [user_notifications_topic("alice")] * 2

    world.broker.published.clear()
    with pytest.raises(RuntimeError):
        async with world.uow:
            await like(world, "carol", "alice", post="p2")
            raise RuntimeError("the idempotency record could not be written")
    assert world.broker.published == []


async def test_content_removed_by_moderation_notifies_the_author(world: World) -> None:
    notify = NotifyContentRemoved(world.run)
    await notify.execute(
        NotifyContentRemovedCommand(event_id="e1", author_id="alice", post_id="p1", comment_id="c1")
    )
    await notify.execute(
        NotifyContentRemovedCommand(event_id="e1", author_id="alice", post_id="p1", comment_id="c1")
    )
    [n] = world.of("alice")
    assert (n.kind, n.actor_ids, n.actor_count, n.target.type, n.target.parent_id) == (
        "moderation",
        [],
        0,
        "comment",
        "p1",
    )


async def test_a_block_removes_the_users_from_each_others_notifications(world: World) -> None:
    await like(world, "bob", "alice")
    await like(world, "carol", "alice")
    await NotifyFollow(world.run).execute(
        NotifyFollowCommand(event_id=new_id(), follower_id="alice", followee_id="bob")
    )
    world.broker.published.clear()
    result = await ForgetBlockedUser(world.uow, world.store, world.publisher).execute(
        ForgetBlockedUserCommand(blocker_id="alice", blocked_id="bob")
    )
    assert result.changed == 2
    [group] = world.of("alice")
    assert (group.actor_ids, group.actor_count) == (["carol"], 1)
    assert world.of("bob") == []
    assert world.broker.frames(user_notifications_topic("alice")) == [
        {"type": "unread_count", "count": 1}
    ]
    assert world.broker.frames(user_notifications_topic("bob")) == [
        {"type": "unread_count", "count": 0}
    ]


@pytest.mark.parametrize("state", ["banned", "deleted"])
async def test_banned_or_deleted_accounts_get_nothing(world: World, state: str) -> None:
    world.audience.add_user("alice", state)
    await like(world, "bob", "alice")
    await NotifyFollow(world.run).execute(
        NotifyFollowCommand(event_id=new_id(), follower_id="bob", followee_id="alice")
    )
    assert world.of("alice") == []


async def test_unknown_recipients_are_skipped(world: World) -> None:
    await like(world, "bob", "ghost")
    assert world.store.rows == {}
