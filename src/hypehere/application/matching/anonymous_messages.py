"""An anonymous chat's messages, on every message's path: nothing here reads the database.
`/ws/anonymous-chat` runs, for each message:

1. while the seat says I have not replied: `CheckFirstAnonymousMessage` (the classifier);
2. `SendAnonymousMessage`: the encrypted transcript, then one broker publish;
3. after my first message went through: `RecordFirstAnonymousMessage` (the database), once
   the sender has its ack, so that the write is on no message's way.

Messages are relayed, never stored as chat history: each is appended to the conversation's
encrypted transcript (`transcript_ports`) only, for a report to attach."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.anonymous_seat import AnonymousSeat
from hypehere.application.matching.frames import (
    AnonymousAckFrame,
    AnonymousMessage,
    AnonymousMessageFrame,
    MessageRejectedFrame,
)
from hypehere.application.matching.ports import (
    AnonymousConversations,
    FirstMessageCheck,
    FirstMessageVerdict,
)
from hypehere.application.matching.transcript_ports import AnonymousTranscripts, TranscriptEntry
from hypehere.domain.matching.errors import ConversationEndedError
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.text import clean_text

logger = structlog.get_logger(__name__)

MAX_MESSAGE_LENGTH = 4000
"""Characters in one relayed message (as in 1:1 chat)."""


def _content(text: str) -> str:
    return clean_text(text, field="content", min_len=1, max_len=MAX_MESSAGE_LENGTH)


class CheckFirstAnonymousMessageCommand(msgspec.Struct, frozen=True):
    seat: AnonymousSeat
    content: str
    client_id: str | None = None


class CheckFirstAnonymousMessage:
    """Fail-closed: each participant's first message is classified before it is relayed
    (`FirstMessageCheck`, a short timeout); flagged, or without a verdict, it is neither
    relayed nor kept, the sender gets the `message_rejected` returned, and their next
    message is their first again (checked the same way). None: the message may be relayed
    (`SendAnonymousMessage` with `checked=True`). Whether I replied already (from another
    socket of mine) the seat knows from the `from: me` frames it saw."""

    def __init__(self, first_check: FirstMessageCheck) -> None:
        self._first_check = first_check

    async def execute(self, cmd: CheckFirstAnonymousMessageCommand) -> MessageRejectedFrame | None:
        seat = cmd.seat
        content = _content(cmd.content)
        if seat.ended:
            raise ConversationEndedError("The conversation has ended.")
        if seat.replied:
            return None
        verdict = await self._first_check.check(content)
        if verdict is FirstMessageVerdict.SAFE:
            return None
        logger.info(
            "anonymous_first_message_rejected",
            conversation_id=seat.conversation_id,
            reason=verdict.value,
        )
        return MessageRejectedFrame(client_id=cmd.client_id, reason=verdict.value)


class FirstMessageUncheckedError(RuntimeError):
    """A first message reached `SendAnonymousMessage` without `CheckFirstAnonymousMessage`
    (a bug): it is not relayed."""


class SendAnonymousMessageCommand(msgspec.Struct, frozen=True):
    seat: AnonymousSeat
    content: str
    client_id: str | None = None
    origin: str | None = None
    checked: bool = False
    """It passed `CheckFirstAnonymousMessage` (needed while the seat has not replied)."""


class SendAnonymousMessage:
    """Relay a message: the partner gets it `from: partner`, my other sockets `from: me`,
    this socket the `ack` returned. Appended to the conversation's encrypted transcript
    before it is relayed. Reads and writes no database, and needs no request-scoped
    dependency. A first message that was not checked is refused
    (`FirstMessageUncheckedError`); once one that was is relayed, the seat says I have
    replied."""

    def __init__(
        self, publisher: RealtimePublisher, clock: Clock, transcripts: AnonymousTranscripts
    ) -> None:
        self._publisher = publisher
        self._clock = clock
        self._transcripts = transcripts

    async def execute(self, cmd: SendAnonymousMessageCommand) -> AnonymousAckFrame:
        seat = cmd.seat
        me = seat.user_id
        content = _content(cmd.content)
        if seat.ended:
            raise ConversationEndedError("The conversation has ended.")
        if not (seat.replied or cmd.checked):
            raise FirstMessageUncheckedError("a first message is relayed only once checked")
        sender_id = me if seat.revealed else None
        message_id, now = new_id(), self._clock.now()

        def message(reader: str) -> AnonymousMessage:
            return AnonymousMessage(
                id=message_id,
                conversation_id=seat.conversation_id,
                from_=reader,
                content=content,
                client_id=cmd.client_id,
                created_at=now,
                sender_id=sender_id,
            )

        await self._transcripts.append(
            seat.conversation_id,
            seat.started_at,
            TranscriptEntry(sender_id=me, content=content, created_at=now),
        )
        mine = message("me")
        await self._publisher.publish(  # one publish: my other sockets get `from: me`
            seat.topic,
            AnonymousMessageFrame(message=message("partner")),
            only_user_ids=[seat.partner_id, me],
            user_frames={me: AnonymousMessageFrame(message=mine)},
            origin=cmd.origin,
        )
        seat.replied = True
        return AnonymousAckFrame(client_id=cmd.client_id, message=mine)


class RecordFirstAnonymousMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str


class RecordFirstAnonymousMessage:
    """My first message was relayed: the conversation records that I replied (my
    `Standing`, and the seat of a socket opened later). One autocommitted statement
    (many conversations start at once: their first messages come together); idempotent."""

    def __init__(self, uow: UnitOfWork, conversations: AnonymousConversations) -> None:
        self._uow = uow
        self._conversations = conversations

    async def execute(self, cmd: RecordFirstAnonymousMessageCommand) -> None:
        async with self._uow.autocommit():
            await self._conversations.record_reply(cmd.conversation_id, cmd.actor.user_id)
