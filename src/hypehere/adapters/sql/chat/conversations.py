"""`SqlConversationRepository`: conversations, participants and messages (write side)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from hypehere.adapters.sql.chat.send_paths import MessageAppender
from hypehere.adapters.sql.chat.statements import (
    INSERT_MESSAGE,
    LOAD_BY_ID,
    LOAD_BY_PAIR,
    LOAD_FOR_SENDER,
    NEXT_SEQ,
    conversations,
    message_values,
    messages,
    participant_values,
    participants,
)
from hypehere.adapters.sql.errors import is_unique_violation, translate_errors
from hypehere.adapters.sql.outbox.writer import wake_after_commit
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.ports import SenderContext
from hypehere.domain.chat.model import Conversation, Folder, Message, Participant
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.events import DomainEvent


def message_from_row(row: Any, *, held: bool = False) -> Message:
    """A `messages` row, or a `held_messages` one (`held`: no sequence number yet)."""
    return Message(
        id=row.id,
        conversation_id=row.conversation_id,
        sender_id=row.sender_id,
        content=row.content,
        client_id=row.client_id,
        seq=0 if held else row.seq,
        created_at=ensure_utc(row.created_at),
        held=held,
        removed_at=ensure_utc(row.removed_at) if row.removed_at else None,
    )


def _conversation(joined: list[Any]) -> Conversation | None:
    """A conversation from its rows joined with its participants' (`p_` columns)."""
    if not joined:
        return None
    row = joined[0]
    rows = [
        SimpleNamespace(**{c.name: getattr(r, f"p_{c.name}") for c in participants.c})
        for r in joined
    ]
    return Conversation(
        id=row.id,
        pair_key=row.pair_key,
        created_by=row.created_by,
        created_at=ensure_utc(row.created_at),
        kind=row.kind,
        participants=[
            Participant(
                conversation_id=p.conversation_id,
                user_id=p.user_id,
                joined_at=ensure_utc(p.joined_at),
                folder=Folder(p.folder),
                is_active=p.is_active,
                left_at=ensure_utc(p.left_at) if p.left_at else None,
                last_read_message_id=p.last_read_message_id,
                last_read_seq=p.last_read_seq,
            )
            for p in rows
        ],
    )


class SqlConversationRepository:
    """Runs in `uow`'s transaction (or its autocommitted block: the send path). `appender`
    is the write path of a message, picked by the provider (see `send_paths`).
    `on_outbox_commit` (optional) is called once a message's outbox event has committed,
    so an in-process outbox dispatcher can wake up at once."""

    def __init__(
        self,
        uow: SqlUnitOfWork,
        appender: MessageAppender,
        on_outbox_commit: Callable[[], None] | None = None,
    ) -> None:
        self._uow = uow
        self._session = uow.session
        self._appender = appender
        self._on_outbox_commit = on_outbox_commit

    async def _load(
        self, query: Any, key: str, params: dict[str, Any] | None = None
    ) -> Conversation | None:
        """The conversation and its participants in one query."""
        return _conversation(await self._load_rows(query, {"key": key, **(params or {})}))

    async def _load_rows(self, query: Any, params: dict[str, Any]) -> list[Any]:
        async with translate_errors():
            return list((await self._session.execute(query, params)).all())

    async def get(self, conversation_id: str) -> Conversation | None:
        return await self._load(LOAD_BY_ID, conversation_id)

    async def get_for_sender(self, conversation_id: str, sender_id: str) -> SenderContext | None:
        joined = await self._load_rows(
            LOAD_FOR_SENDER, {"key": conversation_id, "sender": sender_id}
        )
        conversation = _conversation(joined)
        if conversation is None:
            return None
        blocked = any(row.p_blocks_sender and row.p_user_id != sender_id for row in joined)
        return SenderContext(conversation=conversation, sender_id=sender_id, blocked=blocked)

    async def append_message(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        seq = await self._appender.append(message, changed, event)
        message.seq = seq
        wake_after_commit(self._uow, self._on_outbox_commit)
        return seq

    async def find_by_pair(self, pair_key: str) -> Conversation | None:
        return await self._load(LOAD_BY_PAIR, pair_key)

    async def add(self, conversation: Conversation) -> Conversation:
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    insert(conversations).values(
                        id=conversation.id,
                        kind=conversation.kind,
                        pair_key=conversation.pair_key,
                        created_by=conversation.created_by,
                        created_at=conversation.created_at,
                        updated_at=conversation.created_at,
                        last_seq=0,
                    )
                )
                await self._session.execute(
                    insert(participants),
                    [participant_values(conversation.id, p) for p in conversation.participants],
                )
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
            winner = await self.find_by_pair(conversation.pair_key)
            if winner is None:
                raise
            return winner
        return conversation

    async def save_participant(self, conversation: Conversation, user_id: str) -> None:
        p = conversation.participant(user_id)
        values = participant_values(conversation.id, p)
        async with translate_errors():
            await self._session.execute(
                update(participants)
                .where(
                    participants.c.conversation_id == conversation.id,
                    participants.c.user_id == user_id,
                )
                .values(**values)
            )

    async def next_seq(self, conversation_id: str, message_id: str, at: datetime) -> int:
        async with translate_errors():
            seq = await self._session.scalar(
                NEXT_SEQ, {"conversation_id": conversation_id, "message_id": message_id, "at": at}
            )
        assert seq is not None
        return int(seq)

    async def add_message(self, message: Message) -> None:
        async with translate_errors():
            await self._session.execute(INSERT_MESSAGE, message_values(message))

    async def find_message(
        self, conversation_id: str, sender_id: str, client_id: str
    ) -> Message | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(messages).where(
                        messages.c.conversation_id == conversation_id,
                        messages.c.sender_id == sender_id,
                        messages.c.client_id == client_id,
                    )
                )
            ).first()
        return message_from_row(row) if row else None

    async def get_message(self, message_id: str) -> Message | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(messages).where(messages.c.id == message_id))
            ).first()
        return message_from_row(row) if row else None

    async def remove_message(self, message_id: str, at: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(messages)
                .where(messages.c.id == message_id, messages.c.removed_at.is_(None))
                .values(removed_at=at)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def restore_message(self, message_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(messages)
                .where(messages.c.id == message_id, messages.c.removed_at.is_not(None))
                .values(removed_at=None)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def latest_message(self, conversation_id: str) -> Message | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(messages)
                    .where(messages.c.conversation_id == conversation_id)
                    .order_by(messages.c.seq.desc())
                    .limit(1)
                )
            ).first()
        return message_from_row(row) if row else None
