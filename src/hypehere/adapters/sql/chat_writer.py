"""Group commit for the message hot path on PostgreSQL.

`PgMessageWriter` is one per process. Concurrent sends queue their message; one writer task
takes everything queued whenever it is free and stores it in ONE autocommitted statement
(sequence numbers, messages and outbox events for the whole batch), so N concurrent sends
cost one round trip, one statement and one WAL flush instead of N. There is no timer: an
idle writer takes a batch of one at once, so a lone message waits for nothing.

Guarantees are those of the one-message statement: a message is committed before its
sender's `append` returns; each conversation's numbers are consecutive, in the order the
sends were queued; a batch is all or nothing, and a refused batch (a retried client_id, for
instance) is written again one message at a time, so each sender gets its own result and an
unrelated sender never fails because of another's message. The conversation rows are locked
in id order, so the writers of several processes never deadlock on each other."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import Integer, bindparam, literal_column, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.outbox_writer import outbox_values
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.chat.model import Message, Participant
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.events import DomainEvent

# PostgreSQL: a message in ONE statement (one round trip; atomic on its own, so it can run
# autocommitted). The sequence UPDATE row-locks the conversation (total order), the message
# INSERT takes the new number (its unique keys refuse a retried client_id: the statement
# fails as a whole, no number is used up), changed participants are saved from arrays (none
# on the usual path) and the outbox event is staged only if the message was stored.
APPEND_MESSAGE_PG = (
    text(
        """
WITH next_seq AS (
    UPDATE conversations
       SET last_seq = last_seq + 1, last_message_id = :message_id, updated_at = :created_at
     WHERE id = :conversation_id
 RETURNING last_seq
), new_message AS (
    INSERT INTO messages (id, conversation_id, sender_id, content, client_id, seq, created_at)
    SELECT :message_id, :conversation_id, :sender_id, :content, :client_id, last_seq,
           :created_at
      FROM next_seq
 RETURNING seq
), changed AS (
    UPDATE conversation_participants AS p
       SET folder = v.folder, is_active = v.is_active, left_at = v.left_at,
           last_read_message_id = v.last_read_message_id, last_read_seq = v.last_read_seq
      FROM unnest(CAST(:p_user_ids AS varchar[]), CAST(:p_folders AS varchar[]),
                  CAST(:p_active AS boolean[]), CAST(:p_left_at AS timestamptz[]),
                  CAST(:p_read_ids AS varchar[]), CAST(:p_read_seqs AS integer[]))
           AS v(user_id, folder, is_active, left_at, last_read_message_id, last_read_seq)
     WHERE p.conversation_id = :conversation_id AND p.user_id = v.user_id
       AND EXISTS (SELECT 1 FROM new_message)
), staged AS (
    INSERT INTO outbox_events (id, topic, payload, occurred_at, available_at, attempts)
    SELECT :event_id, :topic, :payload, :occurred_at, :occurred_at, 0
      FROM new_message
)
SELECT seq FROM new_message
"""
    )
    .bindparams(
        bindparam("created_at", type_=UtcDateTime),
        bindparam("occurred_at", type_=UtcDateTime),
        bindparam("payload", type_=JsonDocument),
    )
    .columns(literal_column("seq", Integer))
)

# PostgreSQL: a batch of messages (no participant changes) in ONE statement. Per
# conversation, the sequence moves by the batch's count and the messages take the numbers
# after the old value in queue order (`ord`); its last message becomes the last activity.
# The conversations are locked in id order first (FOR NO KEY UPDATE, as the UPDATE itself
# would: the messages' foreign-key checks still pass), so two processes' batches that
# share conversations queue instead of deadlocking. Messages of a missing conversation
# drop out of the join (their senders get "not found"); a unique key violation fails the
# whole statement (the writer then retries its messages one by one).
APPEND_MESSAGES_PG = text(
    """
WITH input AS (
    SELECT *
      FROM unnest(CAST(:ids AS varchar[]), CAST(:conversation_ids AS varchar[]),
                  CAST(:sender_ids AS varchar[]), CAST(:contents AS text[]),
                  CAST(:client_ids AS varchar[]), CAST(:created_ats AS timestamptz[]),
                  CAST(:event_ids AS varchar[]), CAST(:topics AS varchar[]),
                  CAST(:payloads AS text[]), CAST(:occurred_ats AS timestamptz[]))
           WITH ORDINALITY
           AS v(id, conversation_id, sender_id, content, client_id, created_at, event_id,
                topic, payload, occurred_at, ord)
), per_conversation AS (
    SELECT DISTINCT ON (conversation_id)
           conversation_id, id AS last_id, created_at AS last_at,
           count(*) OVER (PARTITION BY conversation_id) AS n
      FROM input
     ORDER BY conversation_id, ord DESC
), locked AS (
    SELECT c.id
      FROM conversations AS c
     WHERE c.id IN (SELECT conversation_id FROM per_conversation)
     ORDER BY c.id
       FOR NO KEY UPDATE
), next_seq AS (
    UPDATE conversations AS c
       SET last_seq = c.last_seq + pc.n, last_message_id = pc.last_id,
           updated_at = pc.last_at
      FROM per_conversation AS pc
      JOIN locked AS l ON l.id = pc.conversation_id
     WHERE c.id = pc.conversation_id
 RETURNING c.id, c.last_seq - pc.n AS base
), numbered AS (
    SELECT v.*, s.base + row_number() OVER (PARTITION BY v.conversation_id ORDER BY v.ord)
           AS seq
      FROM input AS v
      JOIN next_seq AS s ON s.id = v.conversation_id
), new_messages AS (
    INSERT INTO messages (id, conversation_id, sender_id, content, client_id, seq, created_at)
    SELECT id, conversation_id, sender_id, content, client_id, seq, created_at
      FROM numbered
), staged AS (
    INSERT INTO outbox_events (id, topic, payload, occurred_at, available_at, attempts)
    SELECT event_id, topic, CAST(payload AS jsonb), occurred_at, occurred_at, 0
      FROM numbered
)
SELECT id, seq FROM numbered
"""
).columns(literal_column("id"), literal_column("seq", Integer))


def append_params(
    message: Message, changed: Sequence[Participant], event: DomainEvent
) -> dict[str, Any]:
    """The parameters of APPEND_MESSAGE_PG."""
    staged = outbox_values(event)
    return {
        "message_id": message.id,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "content": message.content,
        "client_id": message.client_id,
        "created_at": message.created_at,
        "p_user_ids": [p.user_id for p in changed],
        "p_folders": [p.folder.value for p in changed],
        "p_active": [p.is_active for p in changed],
        "p_left_at": [p.left_at for p in changed],
        "p_read_ids": [p.last_read_message_id for p in changed],
        "p_read_seqs": [p.last_read_seq for p in changed],
        "event_id": staged["id"],
        "topic": staged["topic"],
        "payload": staged["payload"],
        "occurred_at": staged["occurred_at"],
    }


async def append_one(
    connection: AsyncConnection | Any,
    message: Message,
    changed: Sequence[Participant],
    event: DomainEvent,
) -> int:
    """Run APPEND_MESSAGE_PG on `connection` (a connection or a session): the new number."""
    async with translate_errors():
        seq = await connection.scalar(APPEND_MESSAGE_PG, append_params(message, changed, event))
    if seq is None:
        raise ConversationNotFoundError("The conversation was not found.")
    return int(seq)


@dataclass(slots=True)
class _Pending:
    message: Message
    event: DomainEvent
    future: asyncio.Future[int]


@dataclass(slots=True)
class WriterStats:
    """What the writer did (tests and diagnostics): statements run for batches, messages
    they stored, and batches refused as a whole and retried one message at a time."""

    batches: int = 0
    messages: int = 0
    largest: int = 0
    retried: int = 0


class PgMessageWriter:
    """One per process (APP scope). `append` queues a message and returns its number once it
    has committed; see the module docstring."""

    def __init__(self, engine: AsyncEngine, *, max_batch: int = 256) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.stats = WriterStats()

    async def append(self, message: Message, event: DomainEvent) -> int:
        if self._closed:
            raise StorageUnavailableError("The message writer is closed.")
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(message, event, future))
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="chat-message-writer")
        return await future

    async def aclose(self) -> None:
        """Stop taking messages; wait for the ones queued to be written."""
        self._closed = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        batch: list[_Pending] = []
        try:
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: len(batch)]
                await self._write(batch)
                batch = []
        finally:
            self._task = None
            # Only on cancellation (shutdown): nobody may wait forever.
            for pending in (*batch, *self._queue):
                if not pending.future.done():
                    pending.future.set_exception(
                        StorageUnavailableError("The message writer stopped.")
                    )
            self._queue.clear()

    async def _write(self, batch: list[_Pending]) -> None:
        live = [p for p in batch if not p.future.cancelled()]
        if not live:
            return
        try:
            numbers = await self._write_batch(live)
        except Exception as exc:
            if len(live) == 1:
                _fail(live[0], exc)
                return
            # All or nothing: nothing of it was stored. One at a time, so every sender gets
            # its own outcome (a duplicate is refused alone).
            self.stats.retried += 1
            for pending in live:
                await self._write_alone(pending)
            return
        for pending in live:
            seq = numbers.get(pending.message.id)
            if seq is None:
                _fail(pending, ConversationNotFoundError("The conversation was not found."))
            elif not pending.future.done():
                pending.future.set_result(seq)

    async def _write_batch(self, batch: list[_Pending]) -> dict[str, int]:
        if len(batch) == 1:
            # A lone message: the one-message statement (its plan is simpler).
            pending = batch[0]
            async with self._connection() as connection:
                seq = await append_one(connection, pending.message, (), pending.event)
            self._count(1)
            return {pending.message.id: seq}
        params = _batch_params(batch)
        async with translate_errors(), self._connection() as connection:
            rows = (await connection.execute(APPEND_MESSAGES_PG, params)).all()
        self._count(len(batch))
        return {str(row.id): int(row.seq) for row in rows}

    async def _write_alone(self, pending: _Pending) -> None:
        if pending.future.cancelled():
            return
        try:
            async with self._connection() as connection:
                seq = await append_one(connection, pending.message, (), pending.event)
        except Exception as exc:
            _fail(pending, exc)
            return
        self._count(1)
        if not pending.future.done():
            pending.future.set_result(seq)

    def _count(self, size: int) -> None:
        self.stats.batches += 1
        self.stats.messages += size
        self.stats.largest = max(self.stats.largest, size)

    @contextlib.asynccontextmanager
    async def _connection(self) -> Any:
        async with translate_errors(), self._engine.connect() as connection:
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")


def _fail(pending: _Pending, exc: BaseException) -> None:
    if not pending.future.done():
        pending.future.set_exception(exc)


_encode = msgspec.json.Encoder().encode


def _batch_params(batch: Sequence[_Pending]) -> dict[str, Any]:
    messages = [p.message for p in batch]
    events = [outbox_values(p.event) for p in batch]
    return {
        "ids": [m.id for m in messages],
        "conversation_ids": [m.conversation_id for m in messages],
        "sender_ids": [m.sender_id for m in messages],
        "contents": [m.content for m in messages],
        "client_ids": [m.client_id for m in messages],
        "created_ats": [ensure_utc(m.created_at) for m in messages],
        "event_ids": [e["id"] for e in events],
        "topics": [e["topic"] for e in events],
        "payloads": [_encode(e["payload"]).decode() for e in events],
        "occurred_ats": [ensure_utc(e["occurred_at"]) for e in events],
    }
