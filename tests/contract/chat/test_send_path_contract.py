"""The message hot path of `ConversationRepository` (`get_for_sender` + `append_message`),
held to one contract on the in-memory fake, SQLite (separate statements in the caller's
transaction) and PostgreSQL (one autocommitted statement, or joining an open transaction).

Each operation runs like a request: a fresh session and unit of work, committed at the end;
sends run in the unit of work's `autocommit()` block as `SendMessage` does, so the
PostgreSQL autocommit path is the one exercised."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.memory.chat import InMemoryChatPeers, InMemoryConversationRepository
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.send_paths import (
    MessageAppender,
    SeparateStatementsAppender,
    SingleStatementAppender,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.common.errors import StorageConflictError
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.chat.model import Conversation, Folder, Message
from hypehere.domain.shared.ids import new_id
from tests.conftest import truncate_all

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
USERS = ["u-alice", "u-bob", "u-carol"]
T = TypeVar("T")


class Abort(Exception):
    """Raised in a test's unit of work to roll it back."""


class Kit:
    """One backend: run an operation as one unit of work, read back what was staged."""

    async def run(self, op: Callable[[ConversationRepository], Awaitable[T]]) -> T:
        raise NotImplementedError

    async def send(self, op: Callable[[ConversationRepository], Awaitable[T]]) -> T:
        """`op` in an autocommitted unit of work (the send path)."""
        raise NotImplementedError

    async def block(self, blocker: str, blocked: str) -> None:
        raise NotImplementedError

    async def outbox_events(self) -> list[tuple[str, dict[str, Any]]]:
        raise NotImplementedError


class MemoryKit(Kit):
    def __init__(self) -> None:
        self.peers = InMemoryChatPeers()
        self.outbox = InMemoryOutbox()
        self.repository = InMemoryConversationRepository(peers=self.peers, outbox=self.outbox)

    async def run(self, op: Callable[[ConversationRepository], Awaitable[T]]) -> T:
        return await op(self.repository)

    async def send(self, op: Callable[[ConversationRepository], Awaitable[T]]) -> T:
        return await op(self.repository)

    async def block(self, blocker: str, blocked: str) -> None:
        self.peers.blocks.add((blocker, blocked))

    async def outbox_events(self) -> list[tuple[str, dict[str, Any]]]:
        return [(m.topic, m.payload) for m in self.outbox.messages]


class SqlKit(Kit):
    """The write path as the chat provider picks it without a group commit: one statement
    on PostgreSQL, separate statements on SQLite."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory
        bind = factory.kw["bind"]
        self.postgres = bind.dialect.name == "postgresql"

    def appender(self, uow: SqlUnitOfWork) -> MessageAppender:
        if self.postgres:
            return SingleStatementAppender(uow.session)
        return SeparateStatementsAppender(uow.session)

    def uow(self, session: AsyncSession) -> SqlUnitOfWork:
        return SqlUnitOfWork(session, can_autocommit=self.postgres)

    def repository(self, uow: SqlUnitOfWork) -> SqlConversationRepository:
        return SqlConversationRepository(uow, self.appender(uow))

    async def run(self, op: Callable[[ConversationRepository], Awaitable[T]]) -> T:
        async with self.factory() as session:
            uow = self.uow(session)
            async with uow:
                return await op(self.repository(uow))

    async def send(self, op: Callable[[ConversationRepository], Awaitable[T]]) -> T:
        async with self.factory() as session:
            uow = self.uow(session)
            async with uow.autocommit():
                return await op(self.repository(uow))

    async def block(self, blocker: str, blocked: str) -> None:
        async with self.factory() as session, session.begin():
            await session.execute(
                text(
                    "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (:a, :b, :now)"
                ),
                {"a": blocker, "b": blocked, "now": NOW.replace(tzinfo=None)},
            )

    async def outbox_events(self) -> list[tuple[str, dict[str, Any]]]:
        async with self.factory() as session:
            rows = await session.execute(
                text("SELECT topic, payload FROM outbox_events ORDER BY occurred_at, id")
            )
            out = []
            for topic, payload in rows.tuples():
                if isinstance(payload, str):
                    payload = json.loads(payload)
                out.append((topic, payload))
            return out


def _message(conversation_id: str, sender: str, client_id: str | None, at: datetime) -> Message:
    return Message(new_id(), conversation_id, sender, "hello", client_id, 0, at)


def _event(message: Message, recipients: tuple[str, ...]) -> MessageSent:
    return MessageSent(
        occurred_at=message.created_at,
        message_id=message.id,
        conversation_id=message.conversation_id,
        sender_id=message.sender_id,
        recipient_ids=recipients,
        is_request=False,
    )


async def _append(
    kit: Kit, conversation_id: str, sender: str, client_id: str | None, at: datetime = NOW
) -> Message:
    message = _message(conversation_id, sender, client_id, at)
    recipient = "u-bob" if sender == "u-alice" else "u-alice"
    await kit.send(lambda repo: repo.append_message(message, [], _event(message, (recipient,))))
    return message


class SendPathContract:
    @pytest.fixture
    async def kit(self) -> AsyncIterator[Kit]:
        raise NotImplementedError
        yield

    async def _open(self, kit: Kit, a: str = "u-alice", b: str = "u-bob") -> Conversation:
        conversation = Conversation.open_direct(a, b, Folder.INBOX, NOW)
        return await kit.run(lambda repo: repo.add(conversation))

    async def test_messages_get_consecutive_numbers_and_stage_their_event(self, kit: Kit) -> None:
        conversation = await self._open(kit)
        first = await _append(kit, conversation.id, "u-alice", "c-1")
        second = await _append(kit, conversation.id, "u-bob", None, NOW + timedelta(seconds=1))
        assert (first.seq, second.seq) == (1, 2)
        latest = await kit.run(lambda repo: repo.latest_message(conversation.id))
        assert latest == second
        stored = await kit.run(lambda repo: repo.find_message(conversation.id, "u-alice", "c-1"))
        assert stored == first
        events = await kit.outbox_events()
        assert [topic for topic, _ in events] == ["chat.message_sent", "chat.message_sent"]
        assert events[0][1] == {
            "message_id": first.id,
            "conversation_id": conversation.id,
            "sender_id": "u-alice",
            "recipient_ids": ["u-bob"],
            "is_request": False,
        }

    async def test_a_retried_client_id_changes_nothing(self, kit: Kit) -> None:
        conversation = await self._open(kit)
        first = await _append(kit, conversation.id, "u-alice", "c-1")
        with pytest.raises(StorageConflictError):
            await _append(kit, conversation.id, "u-alice", "c-1")
        # the refused retry used up no number and staged no event
        after = await _append(kit, conversation.id, "u-alice", "c-2", NOW + timedelta(seconds=2))
        assert (first.seq, after.seq) == (1, 2)
        assert len(await kit.outbox_events()) == 2
        # the same client_id from the other participant is another message
        other = await _append(kit, conversation.id, "u-bob", "c-1", NOW + timedelta(seconds=3))
        assert other.seq == 3

    async def test_changed_participants_are_saved_with_the_message(self, kit: Kit) -> None:
        conversation = await self._open(kit)
        bob = conversation.participant("u-bob")
        bob.leave(NOW)
        await kit.run(lambda repo: repo.save_participant(conversation, "u-bob"))
        loaded = await kit.run(lambda repo: repo.get(conversation.id))
        assert loaded is not None and not loaded.participant("u-bob").is_active
        message, changed = loaded.write(
            "u-alice", "back?", "c-9", seq=0, now=NOW + timedelta(minutes=1), message_id=new_id()
        )
        assert [p.user_id for p in changed] == ["u-bob"]
        seq = await kit.send(
            lambda repo: repo.append_message(message, changed, _event(message, ("u-bob",)))
        )
        assert seq == message.seq == 1
        reloaded = await kit.run(lambda repo: repo.get(conversation.id))
        assert reloaded is not None
        rejoined = reloaded.participant("u-bob")
        assert rejoined.is_active
        assert rejoined.left_at == NOW  # kept: unread counts only messages after it
        assert reloaded.participant("u-alice").is_active

    async def test_get_for_sender_reports_blocks_either_way(self, kit: Kit) -> None:
        with_bob = await self._open(kit)
        with_carol = await self._open(kit, "u-alice", "u-carol")
        assert await kit.send(lambda repo: repo.get_for_sender("missing", "u-alice")) is None
        clear = await kit.send(lambda repo: repo.get_for_sender(with_bob.id, "u-alice"))
        assert clear is not None and not clear.blocked
        assert {p.user_id for p in clear.conversation.participants} == {"u-alice", "u-bob"}
        await kit.block("u-bob", "u-alice")
        for sender in ("u-alice", "u-bob"):
            found = await kit.send(
                lambda repo, s=sender: repo.get_for_sender(with_bob.id, s)  # type: ignore[misc]
            )
            assert found is not None and found.blocked
        other = await kit.send(lambda repo: repo.get_for_sender(with_carol.id, "u-alice"))
        assert other is not None and not other.blocked
        await kit.block("u-alice", "u-carol")
        other = await kit.send(lambda repo: repo.get_for_sender(with_carol.id, "u-carol"))
        assert other is not None and other.blocked


@pytest.mark.unit
class TestInMemorySendPath(SendPathContract):
    @pytest.fixture
    async def kit(self) -> AsyncIterator[Kit]:
        yield MemoryKit()


async def _seed_users(factory: async_sessionmaker[AsyncSession]) -> None:
    async with factory() as session, session.begin():
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
                {
                    "id": user_id,
                    "email": f"{user_id}@example.com",
                    "now": NOW.replace(tzinfo=None),
                },
            )


class SqlSendPath:
    url_fixture = ""

    @pytest.fixture
    async def factory(
        self, request: pytest.FixtureRequest
    ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url, pool_size=25)
        try:
            factory = create_session_factory(engine)
            await _seed_users(factory)
            yield factory
        finally:
            await engine.dispose()

    @pytest.fixture
    async def kit(self, factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[Kit]:
        yield SqlKit(factory)


@pytest.mark.integration
class TestSqliteSendPath(SqlSendPath, SendPathContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresSendPath(SqlSendPath, SendPathContract):
    url_fixture = "postgres_url"

    async def test_a_fresh_session_sends_in_one_autocommitted_statement(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        kit = SqlKit(factory)
        conversation = await self._open(kit)
        statements: list[str] = []
        async with factory() as session:
            engine = session.get_bind()

            def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                statements.append(statement)

            uow = kit.uow(session)
            repo = kit.repository(uow)
            message = _message(conversation.id, "u-alice", "c-1", NOW)
            event.listen(engine, "before_cursor_execute", record)
            try:
                with pytest.raises(Abort):
                    async with uow.autocommit():
                        found = await repo.get_for_sender(conversation.id, "u-alice")
                        assert found is not None
                        await repo.append_message(message, [], _event(message, ("u-bob",)))
                        assert len(statements) == 2  # the read and the write, nothing else
                        # committed by the statement itself: visible before the block ends
                        async with factory() as other:
                            count = await other.scalar(
                                text("SELECT count(*) FROM messages WHERE id = :id"),
                                {"id": message.id},
                            )
                        assert count == 1
                        raise Abort  # the rollback cannot take it back
            finally:
                event.remove(engine, "before_cursor_execute", record)
        assert await kit.run(lambda repo: repo.latest_message(conversation.id)) == message

    async def test_an_open_transaction_is_joined_and_rolls_back_whole(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        kit = SqlKit(factory)
        conversation = await self._open(kit)
        async with factory() as session:
            uow = kit.uow(session)
            repo = kit.repository(uow)
            message = _message(conversation.id, "u-alice", "c-1", NOW)
            with pytest.raises(Abort):
                async with uow:  # an outer unit of work (a composite use case)
                    async with uow.autocommit():
                        appended = await repo.append_message(
                            message, [], _event(message, ("u-bob",))
                        )
                        assert appended == 1
                    raise Abort
        assert await kit.run(lambda repo: repo.latest_message(conversation.id)) is None
        assert await kit.outbox_events() == []
        assert (await _append(kit, conversation.id, "u-alice", "c-1")).seq == 1

    async def test_concurrent_senders_get_a_total_order_without_gaps(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        kit = SqlKit(factory)
        conversation = await self._open(kit)
        senders = ["u-alice", "u-bob"] * 10
        messages = await asyncio.gather(
            *(
                _append(kit, conversation.id, sender, f"c-{i}", NOW + timedelta(milliseconds=i))
                for i, sender in enumerate(senders)
            )
        )
        assert sorted(m.seq for m in messages) == list(range(1, 21))
        async with factory() as session:
            rows = (
                await session.execute(
                    text("SELECT id, seq FROM messages WHERE conversation_id = :c ORDER BY seq"),
                    {"c": conversation.id},
                )
            ).all()
            last = await session.scalar(
                text("SELECT last_seq FROM conversations WHERE id = :c"), {"c": conversation.id}
            )
        assert [seq for _, seq in rows] == list(range(1, 21))
        assert {row.id: row.seq for row in rows} == {m.id: m.seq for m in messages}
        assert last == 20
        assert len(await kit.outbox_events()) == 20
