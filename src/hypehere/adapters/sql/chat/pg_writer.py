"""Group commit for the message hot path on PostgreSQL.

`PgMessageWriter` is one per process. Concurrent sends queue their message; one writer task
takes everything queued whenever it is free and stores it in ONE autocommitted statement
(sequence numbers, messages and outbox events for the whole batch), so N concurrent sends
cost one round trip, one statement and one WAL flush instead of N. There is no timer: an
idle writer takes a batch of one at once, so a lone message waits for nothing. The writer
keeps one connection (from an engine of its own) and runs its two prepared statements on
the asyncpg driver directly; a broken link is replaced and the messages written again. A
statement that times out (the server's `statement_timeout`, or the client's
`command_timeout` on a link that stopped answering) is not written again: the connection is
replaced and every sender of that batch is answered `StorageUnavailableError` (503) at
once; the sends queued behind it go on the fresh connection.

Guarantees are those of the one-message statement: a message is committed before its
sender's `append` returns; each conversation's numbers are consecutive, in the order the
sends were queued; a batch is all or nothing, and a refused batch (a retried client_id, for
instance) is written again one message at a time, so each sender gets its own result and an
unrelated sender never fails because of another's message. The conversation rows are locked
in id order, so the writers of several processes never deadlock on each other."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.outbox.writer import outbox_values
from hypehere.application.common.errors import StorageConflictError, StorageUnavailableError
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.chat.model import Message
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.events import DomainEvent

logger = structlog.get_logger(__name__)

# A batch statement this slow is logged: every sender in it (and every message queued behind
# it) waited that long for its ack.
SLOW_BATCH_MS = 100.0

# The writer's statements, run on its own asyncpg connection (prepared once; no SQLAlchemy
# layer on the path every message takes).
#
# One message (the usual case when sends do not overlap): `send_paths.APPEND_MESSAGE_PG`
# without the participant arrays (the writer only takes messages that change no participant).
_ONE_RAW = """
WITH next_seq AS (
    UPDATE conversations
       SET last_seq = last_seq + 1, last_message_id = $1, updated_at = $6
     WHERE id = $2
 RETURNING last_seq
), new_message AS (
    INSERT INTO messages (id, conversation_id, sender_id, content, client_id, seq, created_at)
    SELECT $1, $2, $3, $4, $5, last_seq, $6
      FROM next_seq
 RETURNING seq
), staged AS (
    INSERT INTO outbox_events (id, topic, payload, occurred_at, available_at, attempts)
    SELECT $7, $8, CAST(CAST($9 AS text) AS jsonb), $10, $10, 0
      FROM new_message
)
SELECT seq FROM new_message
"""

# A batch of messages in ONE statement. Per conversation, the sequence moves by the batch's
# count and the messages take the numbers after the old value in queue order (`ord`); its
# last message becomes the last activity. The conversations are locked in id order first
# (FOR NO KEY UPDATE, as the UPDATE itself would: the messages' foreign-key checks still
# pass), so two processes' batches that share conversations queue instead of deadlocking.
# Messages of a missing conversation drop out of the join (their senders get "not found");
# a unique key violation fails the whole statement (the writer then retries its messages
# one by one).
_BATCH_RAW = """
WITH input AS (
    SELECT *
      FROM unnest(CAST($1 AS varchar[]), CAST($2 AS varchar[]), CAST($3 AS varchar[]),
                  CAST($4 AS text[]), CAST($5 AS varchar[]), CAST($6 AS timestamptz[]),
                  CAST($7 AS varchar[]), CAST($8 AS varchar[]), CAST($9 AS text[]),
                  CAST($10 AS timestamptz[]))
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
    timeouts: int = 0
    connections: int = 0


class PgMessageWriter:
    """One per process (APP scope). `append` queues a message and returns its number once it
    has committed; see the module docstring."""

    def __init__(self, engine: AsyncEngine, *, max_batch: int = 256) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._connection: AsyncConnection | None = None
        self._driver: Any = None
        self._prepared: dict[str, Any] = {}
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
        connection, self._connection = self._connection, None
        self._driver = None
        self._prepared.clear()
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()

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
        started = time.perf_counter()
        try:
            numbers = await self._write_batch(live)
        except _TimedOut as exc:
            # Writing them again (one at a time) would make each sender wait a timeout per
            # message ahead of it: answer them all now, on a connection that was replaced.
            self.stats.timeouts += 1
            logger.warning("chat_writer_timeout", messages=len(live), error=str(exc.__cause__))
            for pending in live:
                _fail(pending, StorageUnavailableError("The database did not answer in time."))
            return
        except Exception as exc:
            if len(live) == 1 and not isinstance(exc, StorageUnavailableError):
                _fail(live[0], exc)
                return
            # All or nothing: nothing of it was stored. One at a time, so every sender gets
            # its own outcome (a duplicate is refused alone); after a broken link, on a
            # fresh connection (a message the broken statement did commit is then refused
            # by its primary key, like a client's retry).
            self.stats.retried += 1
            for pending in live:
                await self._write_alone(pending)
            return
        ms = (time.perf_counter() - started) * 1000
        if ms >= SLOW_BATCH_MS:
            logger.warning("chat_writer_slow_batch", ms=round(ms, 1), messages=len(live))
        for pending in live:
            seq = numbers.get(pending.message.id)
            if seq is None:
                _fail(pending, ConversationNotFoundError("The conversation was not found."))
            elif not pending.future.done():
                pending.future.set_result(seq)

    async def _write_batch(self, batch: list[_Pending]) -> dict[str, int]:
        if len(batch) == 1:
            pending = batch[0]
            return {pending.message.id: await self._write_one(pending)}
        statement = await self._statement(_BATCH_RAW)
        async with self._errors():
            rows = await statement.fetch(*_batch_args(batch))
        self._count(len(batch))
        return {row[0]: row[1] for row in rows}

    async def _write_one(self, pending: _Pending) -> int:
        statement = await self._statement(_ONE_RAW)
        async with self._errors():
            seq = await statement.fetchval(*_one_args(pending))
        if seq is None:
            raise ConversationNotFoundError("The conversation was not found.")
        self._count(1)
        return int(seq)

    async def _write_alone(self, pending: _Pending) -> None:
        if pending.future.cancelled():
            return
        try:
            seq = await self._write_one(pending)
        except Exception as exc:
            _fail(pending, exc)
            return
        if not pending.future.done():
            pending.future.set_result(seq)

    def _count(self, size: int) -> None:
        self.stats.batches += 1
        self.stats.messages += size
        self.stats.largest = max(self.stats.largest, size)

    async def _statement(self, sql: str) -> Any:
        """`sql` prepared on the writer's connection (taken from the pool once and kept;
        autocommit: asyncpg opens no transaction of its own)."""
        if self._driver is not None and self._driver.is_closed():
            await self._drop()  # the server or the network closed it while it sat idle
        if self._connection is None:
            async with translate_errors():
                connection = await self._engine.connect()
                try:
                    raw = await connection.get_raw_connection()
                except BaseException:
                    await connection.close()
                    raise
            self._connection = connection
            self._driver = raw.driver_connection
            self._prepared.clear()
            self.stats.connections += 1
        statement = self._prepared.get(sql)
        if statement is None:
            async with self._errors():
                statement = self._prepared[sql] = await self._driver.prepare(sql)
        return statement

    @contextlib.asynccontextmanager
    async def _errors(self) -> AsyncIterator[None]:
        """asyncpg's errors as the application's; a broken link drops the connection (the
        next statement takes a fresh one from the pool)."""
        try:
            yield
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise StorageConflictError("The change conflicts with existing data") from exc
        except (asyncpg.QueryCanceledError, TimeoutError) as exc:
            # statement_timeout (the server cancelled it) or command_timeout (no answer at
            # all): the link may be stuck behind what it waited for; take a fresh one.
            await self._drop()
            raise _TimedOut("The database did not answer in time") from exc
        except (
            asyncpg.PostgresConnectionError,
            asyncpg.InterfaceError,
            # The link broke under the protocol (e.g. a terminated backend's goodbye arrived
            # between two statements): the connection is unusable, like a lost one.
            asyncpg.InternalClientError,
            OSError,
        ) as exc:
            await self._drop()
            raise StorageUnavailableError("The database is unavailable") from exc
        except asyncio.CancelledError:
            await self._drop()  # a statement may be half-way: do not reuse the link
            raise

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        self._driver = None
        self._prepared.clear()
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()


class _TimedOut(StorageUnavailableError):
    """The writer's statement timed out (its connection has been dropped)."""


def _fail(pending: _Pending, exc: BaseException) -> None:
    if not pending.future.done():
        pending.future.set_exception(exc)


_encode = msgspec.json.Encoder().encode


def _one_args(pending: _Pending) -> tuple[Any, ...]:
    m = pending.message
    e = outbox_values(pending.event)
    return (
        m.id,
        m.conversation_id,
        m.sender_id,
        m.content,
        m.client_id,
        ensure_utc(m.created_at),
        e["id"],
        e["topic"],
        _encode(e["payload"]).decode(),
        ensure_utc(e["occurred_at"]),
    )


def _batch_args(batch: Sequence[_Pending]) -> tuple[list[Any], ...]:
    columns: tuple[list[Any], ...] = tuple([] for _ in range(10))
    for pending in batch:
        for column, value in zip(columns, _one_args(pending), strict=True):
            column.append(value)
    return columns
