"""One contract for `HeldMessages` (a new account's first direct messages while the
fail-closed moderation tier holds them) and `ChatPeers.joined_at`, run against memory,
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from hypehere.adapters.memory.chat import (
    InMemoryChatPeers,
    InMemoryConversationRepository,
    InMemoryHeldMessages,
)
from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.held import SqlHeldMessages
from hypehere.adapters.sql.chat.peers import SqlChatPeers
from hypehere.adapters.sql.chat.send_paths import SeparateStatementsAppender
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.ports import ChatPeers, ConversationRepository, HeldMessages
from hypehere.application.common.errors import StorageConflictError
from hypehere.domain.chat.model import Conversation, Folder, Message
from hypehere.domain.shared.ids import new_id
from tests.conftest import truncate_all
from tests.contract.chat.test_chat_storage_contract import NOW, _seed_users


@dataclass
class Stores:
    conversations: ConversationRepository
    held: HeldMessages
    peers: ChatPeers


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


class HeldMessagesContract:
    @pytest.fixture
    async def stores(self) -> AsyncIterator[Stores]:
        raise NotImplementedError
        yield

    async def test_held_messages_wait_until_released_and_count_for_their_sender(
        self, stores: Stores
    ) -> None:
        conversation = await stores.conversations.add(
            Conversation.open_direct("u-alice", "u-bob", Folder.INBOX, NOW)
        )
        first = _message(conversation.id, 0, client_id="c-1")
        second = _message(conversation.id, 1)
        await stores.held.hold(first)
        await stores.held.hold(second)
        with pytest.raises(StorageConflictError):
            await stores.held.hold(_message(conversation.id, 2, client_id="c-1"))
        loaded = await stores.held.get(first.id)
        assert loaded is not None and loaded.held and loaded.content == "held 0"
        found = await stores.held.find(conversation.id, "u-alice", "c-1")
        assert found is not None and found.id == first.id
        assert await stores.held.find(conversation.id, "u-bob", "c-1") is None
        waiting = await stores.held.waiting_before(NOW + timedelta(minutes=5), 10)
        assert [m.id for m in waiting] == [first.id, second.id]
        assert await stores.held.waiting_before(NOW, 10) == []
        assert await stores.held.written_by("u-alice", 5) == 2
        assert await stores.held.written_by("u-alice", 1) == 1
        assert await stores.held.written_by("u-bob", 5) == 0

        assert await stores.held.release(first.id) is True
        assert await stores.held.release(first.id) is False
        assert await stores.held.release("missing") is False
        assert await stores.held.get(first.id) is None
        assert await stores.held.find(conversation.id, "u-alice", "c-1") is None
        waiting = await stores.held.waiting_before(NOW + timedelta(minutes=5), 10)
        assert [m.id for m in waiting] == [second.id]
        assert await stores.held.written_by("u-alice", 5) == 2  # released ones still count

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
        yield Stores(InMemoryConversationRepository(), InMemoryHeldMessages(), peers)


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
                yield Stores(conversations, SqlHeldMessages(session), SqlChatPeers(session))
                await session.rollback()
        finally:
            await engine.dispose()


@pytest.mark.integration
class TestSqliteHeldMessages(SqlHeldStores, HeldMessagesContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresHeldMessages(SqlHeldStores, HeldMessagesContract):
    url_fixture = "postgres_url"
