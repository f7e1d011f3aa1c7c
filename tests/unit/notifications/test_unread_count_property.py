"""Property: whatever sequence of creations (grouped or not, muted, self, redelivered) and
read operations happens, the unread count equals the number of unread notifications the
list shows, and the count pushed last on the socket topic says the same."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.application.common.actor import Actor
from hypehere.application.common.topics import user_notifications_topic
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
from hypehere.application.notifications.notify_follow import NotifyFollow, NotifyFollowCommand
from hypehere.application.notifications.notify_like import NotifyLike, NotifyLikeCommand
from tests.unit.notifications.fakes import World

pytestmark = pytest.mark.unit

ME = "alice"
OTHERS = ("alice", "bob", "carol", "dave")  # alice acting on herself must create nothing

create = st.tuples(
    st.just("create"),
    st.sampled_from(["like", "follow", "comment"]),
    st.sampled_from(OTHERS),
    st.sampled_from(["p1", "p2"]),
    st.integers(min_value=0, max_value=5),  # event number: repeats are redeliveries
)
read_some = st.tuples(st.just("read_some"), st.lists(st.integers(0, 10), max_size=4))
read_all = st.tuples(st.just("read_all"))
advance = st.tuples(st.just("advance"), st.integers(min_value=1, max_value=30))  # hours

operations = st.lists(st.one_of(create, read_some, read_all, advance), max_size=25)


async def unread_listed(world: World) -> int:
    lister = ListNotifications(world.store)
    unread = 0
    cursor = None
    while True:
        page = await lister.execute(
            ListNotificationsCommand(actor=Actor(ME), unread_only=True, limit=3, cursor=cursor)
        )
        assert all(not item.read for item in page.items)
        unread += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return unread


async def run(ops: list[tuple[object, ...]]) -> None:
    world = World()
    mark = MarkNotificationsRead(world.uow, world.store, world.publisher, world.clock)
    for op in ops:
        if op[0] == "create":
            _, kind, actor, post, event = op
            event_id = f"{kind}-{actor}-{post}-{event}"
            if kind == "like":
                await NotifyLike(world.run).execute(
                    NotifyLikeCommand(
                        event_id=event_id, liker_id=str(actor), owner_id=ME, post_id=str(post)
                    )
                )
            elif kind == "follow":
                await NotifyFollow(world.run).execute(
                    NotifyFollowCommand(event_id=event_id, follower_id=str(actor), followee_id=ME)
                )
            else:
                await NotifyComment(world.run).execute(
                    NotifyCommentCommand(
                        event_id=event_id,
                        comment_id=f"c-{event}",
                        post_id=str(post),
                        post_author_id=ME,
                        author_id=str(actor),
                    )
                )
        elif op[0] == "read_some":
            ids = sorted(world.store.rows)
            chosen = [ids[i % len(ids)] for i in op[1]] if ids else []  # type: ignore[attr-defined]
            await mark.execute(MarkNotificationsReadCommand(actor=Actor(ME), ids=chosen))
        elif op[0] == "read_all":
            await mark.execute(MarkNotificationsReadCommand(actor=Actor(ME), all=True))
        else:
            world.clock.advance(hours=float(op[1]))  # type: ignore[arg-type]
        count = await GetUnreadCount(world.store).execute(GetUnreadCountCommand(actor=Actor(ME)))
        assert count.count == await unread_listed(world)
        pushed = [
            f["count"]
            for f in world.broker.frames(user_notifications_topic(ME))
            if f["type"] == "unread_count"
        ]
        if pushed:
            assert pushed[-1] == count.count
        assert all(n.actor_count >= len(n.actor_ids) for n in world.store.rows.values())
        assert not any(ME in n.actor_ids for n in world.store.rows.values())


@given(operations)
def test_unread_count_matches_the_unread_list(ops: list[tuple[object, ...]]) -> None:
    asyncio.run(run(ops))
