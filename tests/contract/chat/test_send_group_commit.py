"""Group commit of sends on PostgreSQL (`PgMessageWriter`): the send-path contract holds with
the writer in the repository, and the writer's own promises: concurrent sends share one
statement, each conversation numbers its messages in queue order without gaps, and a batch
refused as a whole (a retried client_id, a missing conversation) fails only the senders it
concerns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, TypeVar

import asyncpg
import pytest
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from structlog.testing import capture_logs

from hypehere.adapters.sql.chat import pg_writer
from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.pg_writer import PgMessageWriter
from hypehere.adapters.sql.chat.send_paths import (
    GroupCommitAppender,
    MessageAppender,
    SingleStatementAppender,
)
from hypehere.adapters.sql.engine import create_engine
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.common.after_commit import wait_for_after_commit_actions
from hypehere.application.common.errors import StorageConflictError
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.chat.model import Conversation, Message
from tests.contract.chat.test_send_path_contract import (
    NOW,
    Abort,
    SendPathContract,
    SqlKit,
    SqlSendPath,
    _event,
    _message,
)

T = TypeVar("T")


class GroupCommitKit(SqlKit):
    """The write path as the chat provider picks it on PostgreSQL: the group commit."""

    def __init__(self, factory: async_sessionmaker[AsyncSession], writer: PgMessageWriter):
        super().__init__(factory)
        self.writer = writer

    def appender(self, uow: SqlUnitOfWork) -> MessageAppender:
        return GroupCommitAppender(uow, self.writer, SingleStatementAppender(uow.session))


def _pair(conversation_id: str, sender: str, client_id: str | None, i: int) -> tuple[Any, ...]:
    message = _message(conversation_id, sender, client_id, NOW + timedelta(milliseconds=i))
    recipient = "u-bob" if sender == "u-alice" else "u-alice"
    return message, _event(message, (recipient,))


async def _rows(factory: async_sessionmaker[AsyncSession], sql: str, **params: Any) -> list[Any]:
    async with factory() as session:
        return list((await session.execute(text(sql), params)).all())


@pytest.mark.integration
class TestPostgresGroupCommitSendPath(SqlSendPath, SendPathContract):
    """The whole send-path contract, with the repository sending through the writer."""

    url_fixture = "postgres_url"

    @pytest.fixture
    async def writer(
        self, factory: async_sessionmaker[AsyncSession], request: pytest.FixtureRequest
    ) -> AsyncIterator[PgMessageWriter]:
        # as wired in production: an engine of its own (it keeps one connection)
        engine = create_engine(request.getfixturevalue(self.url_fixture), pool_size=1)
        writer = PgMessageWriter(engine)
        yield writer
        await writer.aclose()
        await engine.dispose()

    @pytest.fixture
    async def kit(  # type: ignore[override]
        self, factory: async_sessionmaker[AsyncSession], writer: PgMessageWriter
    ) -> AsyncIterator[GroupCommitKit]:
        yield GroupCommitKit(factory, writer)

    async def _conversations(self, kit: GroupCommitKit, n: int) -> list[Conversation]:
        out = [await self._open(kit)]
        if n > 1:
            out.append(await self._open(kit, "u-alice", "u-carol"))
        if n > 2:
            out.append(await self._open(kit, "u-bob", "u-carol"))
        return out

    async def test_a_send_goes_through_the_writer(
        self, kit: GroupCommitKit, writer: PgMessageWriter
    ) -> None:
        conversation = await self._open(kit)
        message, event = _pair(conversation.id, "u-alice", "c-1", 0)
        seq = await kit.send(lambda repo: repo.append_message(message, [], event))
        assert seq == message.seq == 1
        assert (writer.stats.batches, writer.stats.messages) == (1, 1)

    async def test_the_sender_gives_its_connection_back_before_waiting_for_the_writer(
        self, kit: GroupCommitKit, writer: PgMessageWriter, factory: Any
    ) -> None:
        conversation = await self._open(kit)
        woken: list[str] = []
        async with factory() as session:
            pool = session.bind.pool
            uow = kit.uow(session)
            repo = SqlConversationRepository(
                uow, kit.appender(uow), on_outbox_commit=lambda: woken.append("now")
            )
            async with uow.autocommit():
                assert await repo.get_for_sender(conversation.id, "u-alice") is not None
                assert pool.checkedout() == 1  # the read's connection
                message, event = _pair(conversation.id, "u-alice", "c-1", 0)
                assert await repo.append_message(message, [], event) == 1
                # released while the writer (on its own connection) stored the message
                assert pool.checkedout() == 0
                assert woken == []  # the unit of work has not ended yet
            assert pool.checkedout() == 0
        await wait_for_after_commit_actions()
        assert writer.stats.messages == 1
        assert woken == ["now"]  # committed: the dispatcher may wake up at once

    async def test_concurrent_sends_share_one_statement_in_queue_order(
        self, kit: GroupCommitKit, writer: PgMessageWriter, factory: Any
    ) -> None:
        conversations = await self._conversations(kit, 3)
        senders = {c.id: [p.user_id for p in c.participants] for c in conversations}
        queued: list[tuple[Message, Any]] = []
        for i in range(30):
            conversation = conversations[i % 3]
            sender = senders[conversation.id][i % 2]
            message = _message(conversation.id, sender, f"c-{i}", NOW + timedelta(seconds=i))
            others = tuple(u for u in senders[conversation.id] if u != sender)
            queued.append((message, _event(message, others)))

        numbers = await asyncio.gather(*(writer.append(m, e) for m, e in queued))

        # every send was queued before the writer ran: one batch, one statement
        assert (writer.stats.batches, writer.stats.largest, writer.stats.retried) == (1, 30, 0)
        for conversation in conversations:
            mine = [
                (m, n)
                for (m, _), n in zip(queued, numbers, strict=True)
                if m.conversation_id == conversation.id
            ]
            assert [n for _, n in mine] == list(range(1, 11))  # queue order, no gaps
            stored = await _rows(
                factory,
                "SELECT id, seq FROM messages WHERE conversation_id = :c ORDER BY seq",
                c=conversation.id,
            )
            assert [(row.id, row.seq) for row in stored] == [(m.id, n) for m, n in mine]
            state = await _rows(
                factory,
                "SELECT last_seq, last_message_id, updated_at FROM conversations WHERE id = :c",
                c=conversation.id,
            )
            last = mine[-1][0]
            assert (state[0].last_seq, state[0].last_message_id) == (10, last.id)
            assert state[0].updated_at == last.created_at
        events = await _rows(factory, "SELECT id, payload, occurred_at FROM outbox_events")
        by_id = {row.id: row for row in events}
        assert len(by_id) == 30
        for message, event in queued:
            row = by_id[event.event_id]
            assert row.payload == event.payload()
            assert row.occurred_at == event.occurred_at == message.created_at

    async def test_a_refused_batch_is_written_again_one_by_one(
        self, kit: GroupCommitKit, writer: PgMessageWriter, factory: Any
    ) -> None:
        conversation = await self._open(kit)
        first, first_event = _pair(conversation.id, "u-alice", "c-1", 0)
        assert await writer.append(first, first_event) == 1
        batch = [_pair(conversation.id, "u-bob", f"b-{i}", i + 1) for i in range(4)]
        retry = _pair(conversation.id, "u-alice", "c-1", 9)  # a client retrying c-1
        batch.insert(2, retry)

        results = await asyncio.gather(
            *(writer.append(m, e) for m, e in batch), return_exceptions=True
        )

        assert writer.stats.retried == 1
        assert isinstance(results[2], StorageConflictError)
        assert [r for i, r in enumerate(results) if i != 2] == [2, 3, 4, 5]  # no number lost
        stored = await _rows(
            factory,
            "SELECT id FROM messages WHERE conversation_id = :c ORDER BY seq",
            c=conversation.id,
        )
        expected = [first.id] + [m.id for i, (m, _) in enumerate(batch) if i != 2]
        assert [row.id for row in stored] == expected
        staged = await _rows(factory, "SELECT id FROM outbox_events")
        assert retry[1].event_id not in {row.id for row in staged}
        assert len(staged) == 5

    async def test_a_missing_conversation_fails_only_its_sender(
        self, kit: GroupCommitKit, writer: PgMessageWriter, factory: Any
    ) -> None:
        conversation = await self._open(kit)
        batch = [
            _pair(conversation.id, "u-alice", "c-1", 0),
            _pair("missing", "u-alice", "c-2", 1),
            _pair(conversation.id, "u-bob", "c-3", 2),
        ]
        results = await asyncio.gather(
            *(writer.append(m, e) for m, e in batch), return_exceptions=True
        )
        assert results[0] == 1 and results[2] == 2
        assert isinstance(results[1], ConversationNotFoundError)
        assert (writer.stats.batches, writer.stats.retried) == (1, 0)
        assert len(await _rows(factory, "SELECT id FROM outbox_events")) == 2

    async def test_a_broken_link_is_replaced_without_failing_the_sender(
        self, kit: GroupCommitKit, writer: PgMessageWriter, factory: Any
    ) -> None:
        conversation = await self._open(kit)
        first, first_event = _pair(conversation.id, "u-alice", "c-1", 0)
        assert await writer.append(first, first_event) == 1
        # PostgreSQL restarted, or the idle connection was dropped
        pid = writer._driver.get_server_pid()
        async with factory() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(200):  # the server's goodbye reaches the idle connection
            if writer._driver.is_closed():
                break
            await asyncio.sleep(0.01)
        second, second_event = _pair(conversation.id, "u-bob", "c-2", 1)
        assert await writer.append(second, second_event) == 2
        assert writer.stats.retried == 0  # seen closed before use: replaced up front
        assert writer._driver.get_server_pid() != pid

    async def test_a_connection_broken_under_the_protocol_is_replaced(
        self, kit: GroupCommitKit, writer: PgMessageWriter
    ) -> None:
        # What asyncpg raises when a terminated backend's goodbye lands between statements.
        conversation = await self._open(kit)
        first, first_event = _pair(conversation.id, "u-alice", "c-1", 0)
        assert await writer.append(first, first_event) == 1
        pid = writer._driver.get_server_pid()

        class Broken:
            async def fetchval(self, *args: Any) -> Any:
                raise asyncpg.InternalClientError("cannot switch to state 12")

        writer._prepared = {sql: Broken() for sql in writer._prepared}
        second, second_event = _pair(conversation.id, "u-bob", "c-2", 1)
        assert await writer.append(second, second_event) == 2
        assert writer.stats.retried == 1
        assert writer._driver.get_server_pid() != pid

    async def test_a_send_after_other_writes_stays_in_its_transaction(
        self, kit: GroupCommitKit, writer: PgMessageWriter, factory: Any
    ) -> None:
        conversation = await self._open(kit)
        async with factory() as session:
            uow = kit.uow(session)
            repo = kit.repository(uow)
            await session.execute(text("SELECT 1"))  # the unit of work has begun
            message, event = _pair(conversation.id, "u-alice", "c-1", 0)
            with pytest.raises(Abort):
                async with uow.autocommit():  # joins the open transaction
                    assert await repo.append_message(message, [], event) == 1
                    raise Abort
        assert writer.stats.batches == 0
        assert await _rows(factory, "SELECT id FROM messages") == []

    async def test_writers_of_two_processes_number_shared_conversations_without_gaps(
        self, kit: GroupCommitKit, writer: PgMessageWriter, postgres_url: str, factory: Any
    ) -> None:
        # Two processes' writers (two engines) send batches spanning the same conversations,
        # queued in opposite orders: each batch numbers from the locked row (no lost update,
        # no refused batch), and every conversation ends up numbered 1..n.
        conversations = await self._conversations(kit, 3)
        other_engine = create_engine(postgres_url)
        other = PgMessageWriter(other_engine)
        try:
            rounds = 20

            async def send(w: PgMessageWriter, order: list[Conversation], tag: str) -> None:
                for r in range(rounds):
                    await asyncio.gather(
                        *(
                            w.append(*_pair(c.id, c.participants[0].user_id, f"{tag}-{r}-{i}", r))
                            for i, c in enumerate(order)
                        )
                    )

            await asyncio.gather(
                send(writer, conversations, "a"), send(other, conversations[::-1], "b")
            )
        finally:
            await other.aclose()
            await other_engine.dispose()
        assert writer.stats.retried == other.stats.retried == 0
        for conversation in conversations:
            seqs = await _rows(
                factory,
                "SELECT seq FROM messages WHERE conversation_id = :c ORDER BY seq",
                c=conversation.id,
            )
            assert [row.seq for row in seqs] == list(range(1, 2 * rounds + 1))

    async def test_a_slow_batch_is_logged_with_its_size(
        self, kit: GroupCommitKit, writer: PgMessageWriter, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """At or over `SLOW_BATCH_MS` a batch is logged with its size (every sender in it
        waited that long for the ack); a fast one is not."""
        # loggers are cached on first use: a fresh one reports to `capture_logs`
        monkeypatch.setattr(pg_writer, "logger", structlog.get_logger(pg_writer.__name__))
        conversation = await self._open(kit)
        fast, fast_event = _pair(conversation.id, "u-alice", "c-fast", 0)
        with capture_logs() as logs:
            await writer.append(fast, fast_event)
        assert not [e for e in logs if e["event"] == "chat_writer_slow_batch"]

        monkeypatch.setattr(pg_writer, "SLOW_BATCH_MS", 0.0)
        pairs = [_pair(conversation.id, "u-bob", f"c-{i}", i + 1) for i in range(3)]
        with capture_logs() as logs:
            await asyncio.gather(*(writer.append(m, e) for m, e in pairs))
        slow = [e for e in logs if e["event"] == "chat_writer_slow_batch"]
        assert slow and sum(e["messages"] for e in slow) == 3
        assert all(e["log_level"] == "warning" and e["ms"] >= 0 for e in slow)
