"""`ModuleHeldContent` (the moderation module's `HeldContent` port over the feed's and
chat's use cases) on in-memory adapters: `moderation-scan` finds every kind of held content
(posts, comments, rooms, direct and room messages) and releases each through its owner."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.chat import (
    InMemoryChatPeers,
    InMemoryConversationRepository,
    InMemoryHeldMessages,
    InMemoryHeldRoomMessages,
    InMemoryRoomRepository,
)
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.feed import InMemoryFeed, MemoryUser
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.adapters.modules.moderation_accounts import ModuleContentRestoration
from hypehere.adapters.modules.moderation_targets import ModuleContentRemoval, ModuleHeldContent
from hypehere.application.chat.held_messages import ListHeldMessages
from hypehere.application.chat.held_rooms import ListHeldRooms
from hypehere.application.chat.release_message import ReleaseMessage, ReleaseMessageCommand
from hypehere.application.chat.release_room import ReleaseRoom
from hypehere.application.chat.release_room_message import ReleaseRoomMessage
from hypehere.application.chat.remove_message import RemoveMessage
from hypehere.application.chat.remove_room import RemoveRoom
from hypehere.application.chat.remove_room_message import RemoveRoomMessage
from hypehere.application.chat.restore_message import RestoreMessage
from hypehere.application.chat.restore_room import RestoreRoom
from hypehere.application.chat.restore_room_message import RestoreRoomMessage
from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.feed.list_held_content import ListHeldContent
from hypehere.application.feed.release_comment import ReleaseComment
from hypehere.application.feed.release_post import ReleasePost
from hypehere.application.feed.remove_comment import RemoveComment
from hypehere.application.feed.remove_post import RemovePost
from hypehere.application.feed.restore_content import RestoreContent
from hypehere.domain.chat.model import (
    Conversation,
    Folder,
    Message,
    Room,
    RoomMember,
    RoomMessage,
    RoomRole,
)
from hypehere.domain.feed.model import Comment
from hypehere.domain.moderation.errors import ActionNotApplicableError
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.shared.ids import new_id
from tests.contract.feed.test_feed_store_contract import make_post

pytestmark = pytest.mark.unit

STAFF = Actor("scanner", Role.MODERATOR)


async def _add_room(
    rooms: InMemoryRoomRepository, creator: str, now: datetime, *, held: bool = False
) -> Room:
    room = Room.create(
        name="Room",
        description="",
        language="en",
        password_hash=None,
        max_participants=3,
        created_by=creator,
        now=now,
    )
    room.held = held
    await rooms.add(room, RoomMember(room.id, creator, RoomRole.ADMIN, now))
    return room


async def test_every_kind_of_held_content_is_found_and_released() -> None:
    clock = FixedClock()
    uow, outbox = InMemoryUnitOfWork(), InMemoryOutbox()
    feed = InMemoryFeed()
    feed.add_user(MemoryUser("alice", "alice", "Alice", "en"))
    comments = feed.comment_repository()
    peers = InMemoryChatPeers()
    for user in ("alice", "bob"):
        peers.add_user(user)
    conversations = InMemoryConversationRepository(peers=peers, outbox=outbox)
    rooms, held_messages = InMemoryRoomRepository(), InMemoryHeldMessages()
    held_room_messages = InMemoryHeldRoomMessages()
    publisher = RealtimePublisher(InMemoryBroker())
    now = clock.now()

    post = make_post("alice", "first post")
    post.held = True
    await feed.add(post)
    comment = Comment.write(post=post, author_id="alice", content="hi", mentions=(), now=now)
    comment.held = True
    await comments.add(comment)
    room = await _add_room(rooms, "alice", now, held=True)
    conversation = await conversations.add(
        Conversation.open_direct("alice", "bob", Folder.INBOX, now)
    )
    message = Message(new_id(), conversation.id, "alice", "hello", None, 0, now, held=True)
    await held_messages.hold(message)
    room_message = RoomMessage(new_id(), room.id, "alice", "hi all", None, 0, now, held=True)
    await held_room_messages.hold(room_message)

    held = ModuleHeldContent(
        ReleasePost(uow, feed, outbox, clock),
        ReleaseComment(uow, comments, feed, outbox, clock),
        ListHeldContent(uow, feed, comments),
        ReleaseRoom(uow, rooms),
        ListHeldRooms(uow, rooms),
        ReleaseMessage(uow, conversations, held_messages, publisher, clock),
        ReleaseRoomMessage(uow, rooms, publisher, clock, held_room_messages, outbox),
        ListHeldMessages(uow, held_messages, held_room_messages),
    )
    later = max(now, post.created_at) + timedelta(minutes=1)
    waiting = await held.waiting(STAFF, later, 10)
    assert sorted(waiting) == sorted(
        [
            (ReportTargetType.POST, post.id, "en"),
            (ReportTargetType.COMMENT, comment.id, "und"),
            (ReportTargetType.ROOM, room.id, "en"),
            (ReportTargetType.MESSAGE, message.id, "und"),
            (ReportTargetType.ROOM_MESSAGE, room_message.id, "und"),
        ]
    )
    for kind, content_id, _language in waiting:
        assert await held.release(STAFF, kind, content_id) is True
        assert await held.release(STAFF, kind, content_id) is False
    assert await held.waiting(STAFF, later, 10) == []
    assert [m.id for m in conversations.messages[conversation.id]] == [message.id]
    assert [(m.id, m.seq) for m in rooms.messages[room.id]] == [(room_message.id, 1)]
    assert await held.release(STAFF, ReportTargetType.USER, "alice") is False


async def test_chat_messages_are_removed_and_restored_through_chat() -> None:
    """`ModuleContentRemoval` / `ModuleContentRestoration` over chat's use cases: a held
    direct message is rejected (never delivered; a restore releases it), a delivered room
    message becomes a placeholder (a restore brings its text back); a held room is removed
    (a restore releases it), a released one is not removable this way."""
    clock = FixedClock()
    uow, outbox = InMemoryUnitOfWork(), InMemoryOutbox()
    feed = InMemoryFeed()
    comments = feed.comment_repository()
    peers = InMemoryChatPeers()
    for user in ("alice", "bob"):
        peers.add_user(user)
    conversations = InMemoryConversationRepository(peers=peers, outbox=outbox)
    rooms, held_messages = InMemoryRoomRepository(), InMemoryHeldMessages()
    held_room_messages = InMemoryHeldRoomMessages()
    publisher = RealtimePublisher(InMemoryBroker())
    now = clock.now()
    conversation = await conversations.add(
        Conversation.open_direct("alice", "bob", Folder.INBOX, now)
    )
    message = Message(new_id(), conversation.id, "alice", "hello", None, 0, now, held=True)
    await held_messages.hold(message)
    room = await _add_room(rooms, "bob", now)
    room_message = RoomMessage(new_id(), room.id, "bob", "hi all", None, 1, now)
    await rooms.add_message(room_message)
    release = ReleaseMessage(uow, conversations, held_messages, publisher, clock)
    release_in_room = ReleaseRoomMessage(uow, rooms, publisher, clock, held_room_messages, outbox)
    removal = ModuleContentRemoval(
        RemovePost(uow, feed, outbox, clock),
        RemoveComment(uow, comments, outbox, clock),
        RemoveMessage(uow, conversations, held_messages, publisher, clock),
        RemoveRoomMessage(uow, rooms, publisher, clock, held_room_messages),
        RemoveRoom(uow, rooms),
    )
    restoration = ModuleContentRestoration(
        RestoreContent(uow, feed, comments, outbox, clock),
        RestoreMessage(uow, conversations, held_messages, release),
        RestoreRoomMessage(uow, rooms, held_room_messages, release_in_room),
        RestoreRoom(uow, rooms),
    )

    assert await removal.remove(STAFF, ReportTargetType.MESSAGE, message.id) is True
    assert await removal.remove(STAFF, ReportTargetType.MESSAGE, message.id) is False
    assert await removal.remove(STAFF, ReportTargetType.ROOM_MESSAGE, room_message.id) is True
    with pytest.raises(ActionNotApplicableError):
        await removal.remove(STAFF, ReportTargetType.ROOM, room.id)
    flagged = await _add_room(rooms, "bob", now, held=True)
    assert await removal.remove(STAFF, ReportTargetType.ROOM, flagged.id) is True
    assert await removal.remove(STAFF, ReportTargetType.ROOM, flagged.id) is False
    assert await restoration.restore(STAFF, "room", flagged.id) is True
    assert not rooms.rooms[flagged.id].held
    assert conversations.messages[conversation.id] == []
    assert (await release.execute(ReleaseMessageCommand(STAFF, message.id))).changed is False
    [stored] = rooms.messages[room.id]
    assert stored.removed_at == now

    assert await restoration.restore(STAFF, "message", message.id) is True
    assert [m.id for m in conversations.messages[conversation.id]] == [message.id]
    assert await restoration.restore(STAFF, "room_message", room_message.id) is True
    assert rooms.messages[room.id][0].removed_at is None
    assert await restoration.restore(STAFF, "room_message", room_message.id) is False
