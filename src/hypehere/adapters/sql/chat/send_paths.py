"""The write paths of a message: one `MessageAppender` each, picked by the chat provider.

- `SeparateStatementsAppender` (SQLite): the writes as separate statements in the unit of
  work's transaction (its `BEGIN IMMEDIATE` serializes the writers).
- `SingleStatementAppender` (PostgreSQL): everything in ONE statement, on the unit of
  work's connection: one round trip, atomic on its own, so in an autocommitted block it
  needs no BEGIN/COMMIT either.
- `GroupCommitAppender` (PostgreSQL): in an autocommitted block, a message that changes no
  participant joins the process's group commit (`pg_writer.PgMessageWriter`); otherwise the
  single statement.

Every path stores the message with the conversation's next sequence number, saves the
changed participants and stages the outbox event, all or nothing; a retried client_id
raises StorageConflictError and uses up no number."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Integer, bindparam, literal_column, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from hypehere.adapters.sql.chat.pg_writer import PgMessageWriter
from hypehere.adapters.sql.chat.statements import (
    INSERT_MESSAGE,
    INSERT_OUTBOX,
    NEXT_SEQ,
    message_values,
    participant_values,
    participants,
)
from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.outbox.writer import outbox_values
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.chat.model import Message, Participant
from hypehere.domain.shared.events import DomainEvent


class MessageAppender(Protocol):
    async def append(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        """Store `message` (and the `changed` participants, and `event` in the outbox):
        its sequence number. See the module docstring."""
        ...


class SeparateStatementsAppender:
    """SQLite: the writes as separate statements in the caller's transaction; a savepoint
    keeps a refused duplicate from using up a sequence number."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        session = self._session
        async with translate_errors(), session.begin_nested():
            seq = await session.scalar(
                NEXT_SEQ,
                {
                    "conversation_id": message.conversation_id,
                    "message_id": message.id,
                    "at": message.created_at,
                },
            )
            if seq is None:
                raise ConversationNotFoundError("The conversation was not found.")
            message.seq = int(seq)
            await session.execute(INSERT_MESSAGE, message_values(message))
            for p in changed:
                await session.execute(
                    update(participants)
                    .where(
                        participants.c.conversation_id == message.conversation_id,
                        participants.c.user_id == p.user_id,
                    )
                    .values(**participant_values(message.conversation_id, p))
                )
            await session.execute(INSERT_OUTBOX, outbox_values(event))
        return int(seq)


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
    connection: AsyncConnection | AsyncSession,
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


class SingleStatementAppender:
    """PostgreSQL: APPEND_MESSAGE_PG on the unit of work's connection (autocommitted in an
    `autocommit()` block, else part of its transaction)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        return await append_one(self._session, message, changed, event)


class GroupCommitAppender:
    """PostgreSQL: a message sent from an autocommitted block (nothing written before it in
    the unit of work) that changes no participant goes to the process's `PgMessageWriter`
    (its own connection; committed when `append` returns). The block's connection goes
    back to the pool first, rather than idling while the sender waits for the writer.
    Anything else takes `single`."""

    def __init__(
        self, uow: SqlUnitOfWork, writer: PgMessageWriter, single: SingleStatementAppender
    ) -> None:
        self._uow = uow
        self._writer = writer
        self._single = single

    async def append(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        if not self._uow.autocommitting or changed:
            return await self._single.append(message, changed, event)
        session = self._uow.session
        if not (session.new or session.dirty or session.deleted):
            await self._uow.release_connection()  # the reads are done (autocommitted)
        return await self._writer.append(message, event)
