"""One contract for the chat repositories (conversations and rooms), run against the
in-memory fakes, SQLite and PostgreSQL, so the fakes used by use-case tests cannot drift."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.chat import InMemoryConversationRepository, InMemoryRoomRepository
from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.rooms import SqlRoomRepository
from hypehere.adapters.sql.chat.send_paths import (
    MessageAppender,
    SeparateStatementsAppender,
    SingleStatementAppender,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.ports import ConversationRepository, RoomRepository
from hypehere.application.common.errors import StorageConflictError
from hypehere.domain.chat.model import (
    Conversation,
    Folder,
    Message,
    RestrictionKind,
    Room,
    RoomMember,
    RoomMessage,
    RoomRestriction,
    RoomRole,
)
from hypehere.domain.shared.ids import new_id
from tests.conftest import truncate_all

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
USERS = ["u-alice", "u-bob", "u-carol", "u-dave"]


class ChatStorageContract:
    @pytest.fixture
    async def stores(self) -> AsyncIterator[tuple[ConversationRepository, RoomRepository]]:
        raise NotImplementedError
        yield

    async def test_conversations_round_trip_and_pairs_are_unique(self, stores: Any) -> None:
        conversations, _ = stores
        opened = Conversation.open_direct("u-alice", "u-bob", Folder.REQUESTS, NOW)
        assert (await conversations.add(opened)).id == opened.id
        loaded = await conversations.get(opened.id)
        assert loaded is not None
        assert loaded.pair_key == opened.pair_key
        assert {(p.user_id, p.folder, p.is_active) for p in loaded.participants} == {
            ("u-alice", Folder.INBOX, True),
            ("u-bob", Folder.REQUESTS, True),
        }
        twin = Conversation.open_direct("u-bob", "u-alice", Folder.INBOX, NOW)
        winner = await conversations.add(twin)
        assert winner.id == opened.id
        assert (await conversations.find_by_pair(opened.pair_key)).id == opened.id
        assert await conversations.get("missing") is None

    async def test_participants_are_saved(self, stores: Any) -> None:
        conversations, _ = stores
        conversation = await conversations.add(
            Conversation.open_direct("u-alice", "u-bob", Folder.INBOX, NOW)
        )
        bob = conversation.participant("u-bob")
        bob.leave(NOW + timedelta(minutes=1))
        bob.mark_read("m-1", 3)
        await conversations.save_participant(conversation, "u-bob")
        loaded = (await conversations.get(conversation.id)).participant("u-bob")
        assert not loaded.is_active
        assert loaded.left_at == NOW + timedelta(minutes=1)
        assert (loaded.last_read_message_id, loaded.last_read_seq) == ("m-1", 3)

    async def test_sequences_messages_and_idempotency_keys(self, stores: Any) -> None:
        conversations, _ = stores
        one = await conversations.add(
            Conversation.open_direct("u-alice", "u-bob", Folder.INBOX, NOW)
        )
        two = await conversations.add(
            Conversation.open_direct("u-alice", "u-carol", Folder.INBOX, NOW)
        )
        seqs = [await conversations.next_seq(one.id, f"m{i}", NOW) for i in range(3)]
        assert seqs == [1, 2, 3]
        assert await conversations.next_seq(two.id, "m9", NOW) == 1
        first = Message(new_id(), one.id, "u-alice", "hi", "c-1", 1, NOW)
        second = Message(new_id(), one.id, "u-bob", "yo", "c-1", 2, NOW + timedelta(seconds=1))
        await conversations.add_message(first)
        await conversations.add_message(second)  # same client_id, other sender: fine
        found = await conversations.find_message(one.id, "u-alice", "c-1")
        assert found == first
        assert await conversations.find_message(one.id, "u-alice", "c-2") is None
        assert await conversations.latest_message(one.id) == second
        assert await conversations.latest_message(two.id) is None
        assert await conversations.get_message(second.id) == second
        assert await conversations.get_message(new_id()) is None
        with pytest.raises(StorageConflictError):
            await conversations.add_message(
                Message(new_id(), one.id, "u-alice", "again", "c-1", 3, NOW)
            )

    async def test_room_seats_members_and_restrictions(self, stores: Any) -> None:
        _, rooms = stores
        room = Room.create(
            name="r",
            description="",
            language="ko",
            password_hash=None,
            max_participants=3,
            created_by="u-alice",
            now=NOW,
        )
        await rooms.add(room, RoomMember(room.id, "u-alice", RoomRole.ADMIN, NOW))
        assert (await rooms.get(room.id)).max_participants == 3
        assert (await rooms.member(room.id, "u-alice")).is_admin
        assert await rooms.take_seat(room) == 2
        await rooms.add_member(RoomMember(room.id, "u-bob", RoomRole.MEMBER, NOW))
        assert await rooms.take_seat(room) == 3
        await rooms.add_member(RoomMember(room.id, "u-carol", RoomRole.MEMBER, NOW))
        assert await rooms.take_seat(room) is None
        assert await rooms.remove_member(room.id, "u-bob") == 2
        assert await rooms.remove_member(room.id, "u-bob") is None
        assert await rooms.member(room.id, "u-bob") is None
        carol = await rooms.member(room.id, "u-carol")
        carol.role = RoomRole.ADMIN
        await rooms.save_member(carol)
        assert (await rooms.member(room.id, "u-carol")).is_admin
        kick = RoomRestriction(
            room.id, "u-dave", RestrictionKind.KICK, NOW + timedelta(minutes=5), "u-alice", NOW
        )
        await rooms.save_restriction(kick)
        assert await rooms.restriction(room.id, "u-dave") == kick
        ban = RoomRestriction(room.id, "u-dave", RestrictionKind.BAN, None, "u-carol", NOW)
        await rooms.save_restriction(ban)
        assert await rooms.restriction(room.id, "u-dave") == ban
        assert [await rooms.next_seq(room.id) for _ in range(2)] == [1, 2]
        said = RoomMessage(new_id(), room.id, "u-alice", "hi", "c-1", 1, NOW)
        await rooms.add_message(said)
        assert await rooms.get_message(said.id) == said
        assert await rooms.get_message(new_id()) is None


@pytest.mark.unit
class TestInMemoryChatStorage(ChatStorageContract):
    @pytest.fixture
    async def stores(self) -> AsyncIterator[tuple[ConversationRepository, RoomRepository]]:
        yield InMemoryConversationRepository(), InMemoryRoomRepository()


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


class SqlStores:
    url_fixture = ""

    @pytest.fixture
    async def stores(
        self, request: pytest.FixtureRequest
    ) -> AsyncIterator[tuple[ConversationRepository, RoomRepository]]:
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
                conversations = SqlConversationRepository(SqlUnitOfWork(session), appender)
                yield conversations, SqlRoomRepository(session)
                await session.rollback()
        finally:
            await engine.dispose()


@pytest.mark.integration
class TestSqliteChatStorage(SqlStores, ChatStorageContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresChatStorage(SqlStores, ChatStorageContract):
    url_fixture = "postgres_url"
