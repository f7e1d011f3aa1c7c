"""One contract for `HeldMessages` (a new account's first messages while the fail-closed
moderation tier holds them: direct messages and open-room messages, one store of each) and
`ChatPeers.joined_at`, run against memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from hypehere.adapters.memory.chat import (
    InMemoryChatPeers,
    InMemoryConversationRepository,
    InMemoryHeldMessages,
    InMemoryHeldRoomMessages,
    InMemoryRoomRepository,
)
from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.held import SqlHeldMessages, SqlHeldRoomMessages
from hypehere.adapters.sql.chat.peers import SqlChatPeers
from hypehere.adapters.sql.chat.rooms import SqlRoomRepository
from hypehere.adapters.sql.chat.send_paths import SeparateStatementsAppender
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.ports import (
    ChatPeers,
    ConversationRepository,
    HeldMessages,
    RoomRepository,
)
from hypehere.application.common.errors import StorageConflictError
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
from tests.conftest import truncate_all
from tests.contract.chat.test_chat_storage_contract import NOW, _seed_users


@dataclass
class Stores:
    conversations: ConversationRepository
    held: HeldMessages[Message]
    peers: ChatPeers
    rooms: RoomRepository
    held_in_rooms: HeldMessages[RoomMessage]


Make = Callable[[str, int, str | None], Any]  # (channel, minutes, client_id) -> a message


def _message(conversation_id: str, minutes: int, client_id: str | None = None) -> Message:
    return Message(
        id=new_id(),
        conversation_id=conversation_id,
        sender_id="u-alice",
        content=f"held {minutes}",
        client_id=client_id,
        seq=0,
        created_at=NOW + timedelta(minutes=minutes),
        held=True,
    )


def _room_message(room_id: str, minutes: int, client_id: str | None = None) -> RoomMessage:
    return RoomMessage(
        id=new_id(),
        room_id=room_id,
        sender_id="u-alice",
        content=f"held {minutes}",
        client_id=client_id,
        seq=0,
        created_at=NOW + timedelta(minutes=minutes),
        held=True,
    )


async def _conversation(stores: Stores) -> tuple[HeldMessages[Any], str, Make]:
    conversation = await stores.conversations.add(
        Conversation.open_direct("u-alice", "u-bob", Folder.INBOX, NOW)
    )
    return stores.held, conversation.id, _message


async def _room(stores: Stores) -> tuple[HeldMessages[Any], str, Make]:
    room = Room.create(
        name="r",
        description="",
        language="ko",
        password_hash=None,
        max_participants=3,
        created_by="u-bob",
        now=NOW,
    )
    await stores.rooms.add(room, RoomMember(room.id, "u-bob", RoomRole.ADMIN, NOW))
    return stores.held_in_rooms, room.id, _room_message


CHANNELS: dict[str, Callable[[Stores], Awaitable[tuple[HeldMessages[Any], str, Make]]]] = {
    "direct": _conversation,
    "room": _room,
}


class HeldMessagesContract:
    @pytest.fixture
    async def stores(self) -> AsyncIterator[Stores]:
        raise NotImplementedError
        yield

    @pytest.mark.parametrize("channel", sorted(CHANNELS))
    async def test_held_messages_wait_until_released_and_count_for_their_sender(
        self, stores: Stores, channel: str
    ) -> None:
        held, channel_id, make = await CHANNELS[channel](stores)
        first = make(channel_id, 0, "c-1")
        second = make(channel_id, 1, None)
        await held.hold(first)
        await held.hold(second)
        with pytest.raises(StorageConflictError):
            await held.hold(make(channel_id, 2, "c-1"))
        loaded = await held.get(first.id)
        assert loaded is not None and loaded.held and loaded.content == "held 0"
        assert loaded == first
        found = await held.find(channel_id, "u-alice", "c-1")
        assert found is not None and found.id == first.id
        assert await held.find(channel_id, "u-bob", "c-1") is None
        waiting = await held.waiting_before(NOW + timedelta(minutes=5), 10)
        assert [m.id for m in waiting] == [first.id, second.id]
        assert await held.waiting_before(NOW, 10) == []
        mine = await held.waiting_for(channel_id, "u-alice", 10)
        assert [m.id for m in mine] == [second.id, first.id]  # newest first
        assert [m.id for m in await held.waiting_for(channel_id, "u-alice", 1)] == [second.id]
        assert await held.waiting_for(channel_id, "u-bob", 10) == []
        assert await held.waiting_for(new_id(), "u-alice", 10) == []
        assert await held.written_by("u-alice", 5) == 2
        assert await held.written_by("u-alice", 1) == 1
        assert await held.written_by("u-bob", 5) == 0

        assert await held.release(first.id) is True
        assert await held.release(first.id) is False
        assert await held.release("missing") is False
        assert await held.get(first.id) is None
        assert await held.find(channel_id, "u-alice", "c-1") is None
        waiting = await held.waiting_before(NOW + timedelta(minutes=5), 10)
        assert [m.id for m in waiting] == [second.id]
        assert [m.id for m in await held.waiting_for(channel_id, "u-alice", 10)] == [second.id]
        assert await held.written_by("u-alice", 5) == 2  # released ones still count

    @pytest.mark.parametrize("channel", sorted(CHANNELS))
    async def test_a_withheld_message_stops_waiting_and_stays_its_senders(
        self, stores: Stores, channel: str
    ) -> None:
        held, channel_id, make = await CHANNELS[channel](stores)
        kept, other = make(channel_id, 0, "c-1"), make(channel_id, 1, None)
        await held.hold(kept)
        await held.hold(other)
        assert await held.withhold(kept.id) is True
        assert await held.withhold(kept.id) is False
        assert await held.withhold("missing") is False
        assert await held.get(kept.id) is None
        retried = await held.find(channel_id, "u-alice", "c-1")  # a retry is answered with it
        assert retried is not None and retried.id == kept.id
        assert await held.release(kept.id) is False  # for good
        waiting = await held.waiting_before(NOW + timedelta(minutes=5), 10)
        assert [m.id for m in waiting] == [other.id]
        mine = await held.waiting_for(channel_id, "u-alice", 10)
        assert [(m.id, m.content) for m in mine] == [(other.id, "held 1"), (kept.id, "held 0")]
        assert await held.release(other.id) is True
        assert await held.withhold(other.id) is False  # released: not waiting
        assert [m.id for m in await held.waiting_for(channel_id, "u-alice", 10)] == [kept.id]
        assert await held.written_by("u-alice", 5) == 2

    @pytest.mark.parametrize("channel", sorted(CHANNELS))
    async def test_a_rejected_message_stops_waiting_and_stays_its_senders_removed(
        self, stores: Stores, channel: str
    ) -> None:
        held, channel_id, make = await CHANNELS[channel](stores)
        rejected, withheld, released = (make(channel_id, i, f"c-{i}") for i in range(3))
        for message in (rejected, withheld, released):
            await held.hold(message)
        await held.withhold(withheld.id)
        await held.release(released.id)
        at = NOW + timedelta(minutes=10)
        assert await held.reject(rejected.id, at) is True
        assert await held.reject(rejected.id, at) is False
        assert await held.reject(withheld.id, at) is True  # a withheld one too
        assert await held.reject(released.id, at) is False  # delivered: not held any more
        assert await held.reject("missing", at) is False
        assert await held.get(rejected.id) is None
        assert await held.release(rejected.id) is False  # never delivered
        assert await held.waiting_before(NOW + timedelta(minutes=5), 10) == []
        mine = await held.waiting_for(channel_id, "u-alice", 10)
        assert [(m.id, m.removed_at) for m in mine] == [(withheld.id, at), (rejected.id, at)]
        kept = await held.unreleased(rejected.id)
        assert kept is not None and (kept.content, kept.removed_at) == ("held 0", at)
        assert await held.unreleased(released.id) is None
        assert await held.unreleased("missing") is None
        assert await held.written_by("u-alice", 5) == 3
        # a retried client_id finds the message until it is released, whatever its verdict
        for message in (rejected, withheld):
            retried = await held.find(channel_id, "u-alice", message.client_id or "")
            assert retried is not None and (retried.id, retried.removed_at) == (message.id, at)
        assert await held.find(channel_id, "u-alice", "c-2") is None  # released
        with pytest.raises(StorageConflictError):  # and no second message takes its client_id
            await held.hold(make(channel_id, 3, "c-2"))

        assert await held.unreject(rejected.id) is True  # an overturned appeal
        assert await held.unreject(rejected.id) is False
        assert await held.unreject(released.id) is False
        waiting = await held.waiting_before(NOW + timedelta(minutes=5), 10)
        assert [(m.id, m.removed_at) for m in waiting] == [(rejected.id, None)]
        assert await held.unreject(withheld.id) is True
        assert await held.get(withheld.id) is None  # still withheld

    @pytest.mark.parametrize("channel", sorted(CHANNELS))
    async def test_hold_first_holds_a_senders_first_messages_only(
        self, stores: Stores, channel: str
    ) -> None:
        held, channel_id, make = await CHANNELS[channel](stores)
        first, second, third = (make(channel_id, i, None) for i in range(3))
        assert await held.hold_first(first, 2) is True
        await held.release(first.id)  # released ones count too
        assert await held.hold_first(second, 2) is True
        assert await held.hold_first(third, 2) is False
        assert await held.get(third.id) is None
        assert await held.written_by("u-alice", 5) == 2

    async def test_direct_and_room_messages_are_counted_apart(self, stores: Stores) -> None:
        _, conversation_id, _ = await _conversation(stores)
        _, room_id, _ = await _room(stores)
        await stores.held.hold(_message(conversation_id, 0))
        assert await stores.held.written_by("u-alice", 5) == 1
        assert await stores.held_in_rooms.written_by("u-alice", 5) == 0
        await stores.held_in_rooms.hold(_room_message(room_id, 0))
        await stores.held_in_rooms.hold(_room_message(room_id, 1))
        assert await stores.held.written_by("u-alice", 5) == 1
        assert await stores.held_in_rooms.written_by("u-alice", 5) == 2

    async def test_joined_at_is_known_for_existing_accounts_only(self, stores: Stores) -> None:
        assert await stores.peers.joined_at("u-alice") is not None
        assert await stores.peers.joined_at("missing") is None


@pytest.mark.unit
class TestInMemoryHeldMessages(HeldMessagesContract):
    @pytest.fixture
    async def stores(self) -> AsyncIterator[Stores]:
        peers = InMemoryChatPeers()
        for user in ("u-alice", "u-bob"):
            peers.add_user(user)
        yield Stores(
            InMemoryConversationRepository(),
            InMemoryHeldMessages(),
            peers,
            InMemoryRoomRepository(),
            InMemoryHeldRoomMessages(),
        )


class SqlHeldStores:
    url_fixture = ""

    @pytest.fixture
    async def stores(self, request: pytest.FixtureRequest) -> AsyncIterator[Stores]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                await _seed_users(session)
                conversations = SqlConversationRepository(
                    SqlUnitOfWork(session), SeparateStatementsAppender(session)
                )
                yield Stores(
                    conversations,
                    SqlHeldMessages(session),
                    SqlChatPeers(session),
                    SqlRoomRepository(session),
                    SqlHeldRoomMessages(session),
                )
                await session.rollback()
        finally:
            await engine.dispose()


@pytest.mark.integration
class TestSqliteHeldMessages(SqlHeldStores, HeldMessagesContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresHeldMessages(SqlHeldStores, HeldMessagesContract):
    url_fixture = "postgres_url"


WAITING_FOR_A_LOCK = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
)


@pytest.mark.integration
@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_concurrent_holds_of_one_sender_never_exceed_the_first_n(
    postgres_url: str, channel: str
) -> None:
    """PostgreSQL (READ COMMITTED): two sends of one new account racing for the tier's last
    place. The second `hold_first` waits for the first's transaction (the per-sender lock)
    and then counts its row: only one is held. (SQLite serializes every transaction with
    BEGIN IMMEDIATE.) Without the lock the second counts too early and holds as well."""
    await truncate_all(postgres_url)
    engine = create_engine(postgres_url)
    factory = create_session_factory(engine)
    kind = {"direct": SqlHeldMessages, "room": SqlHeldRoomMessages}[channel]
    try:
        async with factory() as setup:
            await _seed_users(setup)
            conversations = SqlConversationRepository(
                SqlUnitOfWork(setup), SeparateStatementsAppender(setup)
            )
            stores = Stores(
                conversations,
                SqlHeldMessages(setup),
                SqlChatPeers(setup),
                SqlRoomRepository(setup),
                SqlHeldRoomMessages(setup),
            )
            _, channel_id, make = await CHANNELS[channel](stores)
            await setup.commit()
        async with factory() as one, factory() as two, factory() as watcher:
            assert await kind(one).hold_first(make(channel_id, 0, None), 1) is True
            racing = asyncio.create_task(kind(two).hold_first(make(channel_id, 1, None), 1))
            # until the second waits for the first's lock (or, without one, has finished)
            while not await watcher.scalar(WAITING_FOR_A_LOCK):
                await watcher.rollback()  # the activity view is a snapshot per transaction
                finished, _ = await asyncio.wait({racing}, timeout=0.01)
                if finished:
                    break
            await one.commit()
            assert await racing is False
            await two.commit()
            assert await kind(watcher).written_by("u-alice", 5) == 1
    finally:
        await engine.dispose()
