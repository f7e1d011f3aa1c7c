"""One contract for the chat readers (`ConversationReader`, `RoomReader`), run against the
in-memory readers, SQLite and PostgreSQL, so the fakes behind the use-case tests list,
count and page exactly as the SQL does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.chat import (
    InMemoryChatPeers,
    InMemoryConversationReader,
    InMemoryConversationRepository,
    InMemoryRoomReader,
    InMemoryRoomRepository,
)
from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.readers import SqlConversationReader, SqlRoomReader
from hypehere.adapters.sql.chat.rooms import SqlRoomRepository
from hypehere.adapters.sql.chat.send_paths import (
    MessageAppender,
    SeparateStatementsAppender,
    SingleStatementAppender,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.ports import (
    ConversationReader,
    ConversationRepository,
    RoomReader,
    RoomRepository,
)
from hypehere.application.chat.views import MessageView, RoomMessageView
from hypehere.application.common.views import UserCard
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.chat.model import (
    Conversation,
    Folder,
    Message,
    Room,
    RoomMember,
    RoomMessage,
    RoomRole,
)
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import PageRequest, decode_cursor
from tests.conftest import truncate_all

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
USERS = ["u-alice", "u-bob", "u-carol", "u-dave"]


@dataclass
class World:
    conversations: ConversationRepository
    reader: ConversationReader
    rooms: RoomRepository
    room_reader: RoomReader


async def _open(world: World, a: str, b: str, folder: Folder = Folder.INBOX) -> Conversation:
    return await world.conversations.add(Conversation.open_direct(a, b, folder, NOW))


async def _send(world: World, conversation_id: str, sender: str, minutes: int) -> Message:
    conversation = await world.conversations.get(conversation_id)
    assert conversation is not None
    message, rejoined = conversation.write(
        sender,
        f"at {minutes}",
        None,
        seq=0,
        now=NOW + timedelta(minutes=minutes),
        message_id=new_id(),
    )
    event = MessageSent(
        occurred_at=message.created_at,
        message_id=message.id,
        conversation_id=conversation_id,
        sender_id=sender,
        recipient_ids=tuple(p.user_id for p in conversation.others(sender)),
        is_request=False,
    )
    await world.conversations.append_message(message, rejoined, event)
    return message


async def _room(
    world: World, name: str, language: str, minutes: int, pw: bool = False, held: bool = False
) -> Room:
    room = Room.create(
        name=name,
        description=f"about {name}",
        language=language,
        password_hash="x$pw" if pw else None,
        max_participants=4,
        created_by="u-alice",
        now=NOW + timedelta(minutes=minutes),
    )
    room.held = held
    await world.rooms.add(room, RoomMember(room.id, "u-alice", RoomRole.ADMIN, room.created_at))
    return room


def _summary(user_id: str) -> UserCard:
    return UserCard(id=user_id, handle=user_id, nickname=user_id)


class ChatReadersContract:
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        raise NotImplementedError
        yield

    async def test_conversations_by_last_activity_per_folder_in_pages(self, world: World) -> None:
        with_bob = await _open(world, "u-alice", "u-bob")
        with_carol = await _open(world, "u-alice", "u-carol")
        with_dave = await _open(world, "u-alice", "u-dave", Folder.REQUESTS)
        await _send(world, with_bob.id, "u-bob", 1)
        await _send(world, with_carol.id, "u-alice", 2)
        last = await _send(world, with_bob.id, "u-alice", 3)

        first = await world.reader.list_for("u-alice", Folder.INBOX, PageRequest(limit=2))
        assert [v.id for v in first.items] == [with_bob.id, with_carol.id]
        assert first.next_cursor is not None
        rest = await world.reader.list_for(
            "u-alice", Folder.INBOX, PageRequest(limit=2, cursor=decode_cursor(first.next_cursor))
        )
        assert [v.id for v in rest.items] == [with_dave.id]
        assert rest.next_cursor is None

        top = first.items[0]
        assert (top.kind, top.folder, top.other_user) == ("direct", "inbox", _summary("u-bob"))
        assert top.last_message == MessageView.of(last)
        assert top.updated_at == last.created_at
        assert top.unread_count == 1  # bob's; my own messages never count
        quiet = rest.items[0]
        assert (quiet.last_message, quiet.unread_count, quiet.updated_at) == (None, 0, NOW)

        dave = await world.reader.list_for("u-dave", Folder.REQUESTS, PageRequest())
        assert [v.id for v in dave.items] == [with_dave.id]
        assert (await world.reader.list_for("u-dave", Folder.INBOX, PageRequest())).items == []
        assert await world.reader.view("u-alice", with_bob.id) == top
        assert await world.reader.view("u-carol", with_bob.id) is None
        assert await world.reader.view("u-alice", "missing") is None

    async def test_unread_counts_follow_the_read_marker_and_a_leave(self, world: World) -> None:
        conversation = await _open(world, "u-alice", "u-bob")
        read = await _send(world, conversation.id, "u-alice", 1)
        await _send(world, conversation.id, "u-alice", 2)
        bob_view = await world.reader.view("u-bob", conversation.id)
        assert bob_view is not None and bob_view.unread_count == 2

        loaded = await world.conversations.get(conversation.id)
        assert loaded is not None
        loaded.participant("u-bob").mark_read(read.id, read.seq)
        await world.conversations.save_participant(loaded, "u-bob")
        bob_view = await world.reader.view("u-bob", conversation.id)
        assert bob_view is not None and bob_view.unread_count == 1

        loaded.participant("u-bob").leave(NOW + timedelta(minutes=3))
        await world.conversations.save_participant(loaded, "u-bob")
        assert (await world.reader.list_for("u-bob", Folder.INBOX, PageRequest())).items == []
        await _send(world, conversation.id, "u-alice", 4)  # brings bob back
        [back] = (await world.reader.list_for("u-bob", Folder.INBOX, PageRequest())).items
        assert back.unread_count == 1  # only what came after he left

    async def test_message_pages_by_sequence(self, world: World) -> None:
        conversation = await _open(world, "u-alice", "u-bob")
        sent = [await _send(world, conversation.id, "u-alice", i) for i in range(1, 6)]
        views = {m.seq: MessageView.of(m) for m in sent}

        newest = await world.reader.messages_before(conversation.id, None, 2)
        assert newest == [(5, views[5]), (4, views[4]), (3, views[3])]  # limit + 1
        assert await world.reader.messages_before(conversation.id, 3, 2) == [
            (2, views[2]),
            (1, views[1]),
        ]
        assert await world.reader.messages_after(conversation.id, 2, 5) == [
            (3, views[3]),
            (4, views[4]),
            (5, views[5]),
        ]
        assert await world.reader.messages_after(conversation.id, 5, 5) == []
        assert await world.reader.message_seq(conversation.id, sent[2].id) == 3
        assert await world.reader.message_seq(conversation.id, "missing") is None
        assert await world.reader.messages_before("missing", None, 5) == []

    async def test_a_removed_message_is_a_placeholder_until_restored(self, world: World) -> None:
        """`remove_message` (moderation): no text and `removed` in the history and as the
        inbox's last message, for everyone; the stored text comes back with a restore."""
        conversation = await _open(world, "u-alice", "u-bob")
        first = await _send(world, conversation.id, "u-alice", 1)
        last = await _send(world, conversation.id, "u-alice", 2)
        at = NOW + timedelta(minutes=3)
        assert await world.conversations.remove_message(last.id, at) is True
        assert await world.conversations.remove_message(last.id, at) is False
        assert await world.conversations.remove_message("missing", at) is False
        stored = await world.conversations.get_message(last.id)
        assert stored is not None and (stored.content, stored.removed_at) == ("at 2", at)
        placeholder = MessageView.of(stored)
        assert (placeholder.content, placeholder.removed) == ("", True)
        assert await world.reader.messages_before(conversation.id, None, 5) == [
            (2, placeholder),
            (1, MessageView.of(first)),
        ]
        assert await world.reader.messages_after(conversation.id, 1, 5) == [(2, placeholder)]
        [listed] = (await world.reader.list_for("u-bob", Folder.INBOX, PageRequest())).items
        assert listed.last_message == placeholder
        assert await world.conversations.restore_message(last.id) is True
        assert await world.conversations.restore_message(last.id) is False
        [listed] = (await world.reader.list_for("u-alice", Folder.INBOX, PageRequest())).items
        assert listed.last_message == MessageView.of(last)

    async def test_a_removed_room_message_is_a_placeholder_until_restored(
        self, world: World
    ) -> None:
        room = await _room(world, "talk", "ko", 0)
        message = RoomMessage.write(
            room.id, "u-alice", "m1", None, await world.rooms.next_seq(room.id), NOW
        )
        await world.rooms.add_message(message)
        at = NOW + timedelta(minutes=1)
        assert await world.rooms.remove_message(message.id, at) is True
        assert await world.rooms.remove_message(message.id, at) is False
        stored = await world.rooms.get_message(message.id)
        assert stored is not None and (stored.content, stored.removed_at) == ("m1", at)
        [(seq, view)] = await world.room_reader.messages_before(room.id, None, 5)
        assert (seq, view) == (1, RoomMessageView.of(stored))
        assert (view.content, view.removed) == ("", True)
        assert await world.rooms.restore_message(message.id) is True
        assert await world.rooms.restore_message(message.id) is False
        [(_, view)] = await world.room_reader.messages_after(room.id, 0, 5)
        assert (view.content, view.removed) == ("m1", False)

    async def test_rooms_newest_first_by_language_in_pages(self, world: World) -> None:
        korean = await _room(world, "first", "ko", 0)
        english = await _room(world, "second", "en", 1)
        locked = await _room(world, "third", "ko", 2, pw=True)
        assert await world.rooms.take_seat(locked) == 2
        await world.rooms.add_member(RoomMember(locked.id, "u-bob", RoomRole.MEMBER, NOW))

        first = await world.room_reader.list_rooms(None, PageRequest(limit=2))
        assert [v.id for v in first.items] == [locked.id, english.id]
        assert first.next_cursor is not None
        rest = await world.room_reader.list_rooms(
            None, PageRequest(limit=2, cursor=decode_cursor(first.next_cursor))
        )
        assert ([v.id for v in rest.items], rest.next_cursor) == ([korean.id], None)
        in_korean = await world.room_reader.list_rooms("ko", PageRequest())
        assert [v.id for v in in_korean.items] == [locked.id, korean.id]

        view = await world.room_reader.view(locked.id)
        assert view is not None
        assert (view.name, view.description, view.language) == ("third", "about third", "ko")
        assert (view.has_password, view.max_participants, view.participant_count) == (
            True,
            4,
            2,
        )
        assert (view.created_by, view.created_at) == ("u-alice", locked.created_at)
        assert view == first.items[0]
        assert not (await world.room_reader.view(korean.id)).has_password  # type: ignore[union-attr]
        assert await world.room_reader.view("missing") is None

    async def test_a_held_room_is_seen_by_its_creator_only_until_released(
        self, world: World
    ) -> None:
        shown = await _room(world, "shown", "en", 0)
        held = await _room(world, "held", "en", 1, held=True)
        loaded = await world.rooms.get(held.id)
        assert loaded is not None and loaded.held is True
        for viewer in ("u-bob", None):
            listed = await world.room_reader.list_rooms(None, PageRequest(), viewer)
            assert [v.id for v in listed.items] == [shown.id]
            assert await world.room_reader.view(held.id, viewer) is None
        mine = await world.room_reader.list_rooms(None, PageRequest(), "u-alice")
        assert [(v.id, v.moderation) for v in mine.items] == [
            (held.id, "held"),
            (shown.id, "visible"),
        ]
        waiting = await world.rooms.held_before(NOW + timedelta(minutes=2), 10)
        assert [r.id for r in waiting] == [held.id]
        assert await world.rooms.held_before(NOW, 10) == []
        assert await world.rooms.release(held.id) is True
        assert await world.rooms.release(held.id) is False
        assert await world.rooms.release(shown.id) is False
        view = await world.room_reader.view(held.id, "u-bob")
        assert view is not None and view.moderation == "visible"
        assert await world.rooms.held_before(NOW + timedelta(minutes=2), 10) == []

    async def test_a_removed_held_room_stays_its_creators_for_good(self, world: World) -> None:
        shown = await _room(world, "shown", "en", 0)
        flagged = await _room(world, "flagged", "en", 1, held=True)
        assert await world.rooms.reject(shown.id) is False  # released: not this way
        assert await world.rooms.reject("missing") is False
        assert await world.rooms.reject(flagged.id) is True
        assert await world.rooms.reject(flagged.id) is False
        loaded = await world.rooms.get(flagged.id)
        assert loaded is not None and (loaded.held, loaded.removed) == (True, True)
        assert not loaded.visible_to("u-bob") and loaded.visible_to("u-alice")
        assert await world.rooms.release(flagged.id) is False  # no later verdict lets it out
        assert await world.rooms.held_before(NOW + timedelta(minutes=2), 10) == []
        for viewer in ("u-bob", None):
            listed = await world.room_reader.list_rooms(None, PageRequest(), viewer)
            assert [v.id for v in listed.items] == [shown.id]
            assert await world.room_reader.view(flagged.id, viewer) is None
        mine = await world.room_reader.view(flagged.id, "u-alice")
        assert mine is not None and mine.moderation == "removed"
        # an overturned appeal: everyone sees it now
        assert await world.rooms.restore(shown.id) is False
        assert await world.rooms.restore(flagged.id) is True
        assert await world.rooms.restore(flagged.id) is False
        theirs = await world.room_reader.view(flagged.id, "u-bob")
        assert theirs is not None and theirs.moderation == "visible"
        assert await world.rooms.reject(flagged.id) is False

    async def test_room_message_pages_by_sequence(self, world: World) -> None:
        room = await _room(world, "talk", "ko", 0)
        sent = []
        for i in range(1, 4):
            seq = await world.rooms.next_seq(room.id)
            message = RoomMessage.write(
                room.id, "u-alice", f"m{i}", None, seq, NOW + timedelta(minutes=i)
            )
            await world.rooms.add_message(message)
            sent.append(message)
        views = {m.seq: RoomMessageView.of(m) for m in sent}
        assert await world.room_reader.messages_before(room.id, None, 1) == [
            (3, views[3]),
            (2, views[2]),
        ]
        assert await world.room_reader.messages_before(room.id, 2, 5) == [(1, views[1])]
        assert await world.room_reader.messages_after(room.id, 1, 5) == [
            (2, views[2]),
            (3, views[3]),
        ]
        assert await world.room_reader.message_seq(room.id, sent[1].id) == 2
        assert await world.room_reader.message_seq(room.id, "missing") is None


@pytest.mark.unit
class TestInMemoryChatReaders(ChatReadersContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        peers = InMemoryChatPeers()
        for user_id in USERS:
            peers.add_user(user_id)
        conversations = InMemoryConversationRepository(peers=peers)
        rooms = InMemoryRoomRepository()
        yield World(
            conversations,
            InMemoryConversationReader(conversations, peers),
            rooms,
            InMemoryRoomReader(rooms),
        )


async def _seed_users(session: AsyncSession) -> None:
    for user_id in USERS:
        await session.execute(
            text(
                "INSERT INTO users (id, email, handle, nickname, bio, native_language,"
                " interface_language, password_hash, role, state, show_followers_list,"
                " show_following_list, chat_policy, send_read_receipts, follower_count,"
                " following_count, post_count, report_count, created_at, updated_at)"
                " VALUES (:id, :email, :id, :id, '', 'ko', 'ko', 'x', 'member', 'active',"
                " 'everyone', 'everyone', 'everyone', true, 0, 0, 0, 0, :now, :now)"
            ),
            {"id": user_id, "email": f"{user_id}@example.com", "now": NOW.replace(tzinfo=None)},
        )


class SqlReaders:
    """Repositories and readers on one session (readers see the writes of their unit of
    work); the write path as the provider picks it outside an autocommitted block."""

    url_fixture = ""

    @pytest.fixture
    async def world(self, request: pytest.FixtureRequest) -> AsyncIterator[World]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                await _seed_users(session)
                appender: MessageAppender = (
                    SingleStatementAppender(session)
                    if engine.dialect.name == "postgresql"
                    else SeparateStatementsAppender(session)
                )
                yield World(
                    SqlConversationRepository(SqlUnitOfWork(session), appender),
                    SqlConversationReader(session),
                    SqlRoomRepository(session),
                    SqlRoomReader(session),
                )
                await session.rollback()
        finally:
            await engine.dispose()


@pytest.mark.integration
class TestSqliteChatReaders(SqlReaders, ChatReadersContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresChatReaders(SqlReaders, ChatReadersContract):
    url_fixture = "postgres_url"
