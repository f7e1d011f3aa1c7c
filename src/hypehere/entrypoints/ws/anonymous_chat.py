"""`/ws/anonymous-chat/{conversation_id}`: an anonymous conversation, live (its two
participants only, else 4403; an ended conversation, or one I left, is 4403 too).

Client frames: `{"type": "message", "content", "client_id"}` -> `ack` to this socket, the
partner gets `{"type": "message", "message": {id, conversation_id, from: "partner",
content, client_id, created_at}}` (my other sockets `from: "me"`; `sender_id` only after
the reveal); my first message of the conversation is classified before it is relayed: if
it is flagged, or no verdict comes in time, it is not relayed (nor kept) and this socket
gets `{"type": "message_rejected", "client_id", "reason": "flagged" |
"moderation_unavailable"}` instead of the ack (my next message is checked the same way);
`webrtc.offer` / `webrtc.answer` / `webrtc.ice_candidate` with an opaque
`payload` (video mode only, at most 16 KiB) relayed verbatim to the partner;
`reveal_request`, `reveal_accept`, `reveal_decline`; `{"type": "leave"}` leaves for good.
Server frames besides those: `partner_joined`, `partner_left`, `reveal_request`,
`reveal_declined`, `revealed` {me, partner} (public profiles), and `{"type": "ended",
"reason"}` (then the socket closes). Messages are relayed, never stored as chat history:
only an encrypted transcript is kept, for 72 hours, so that a report can attach it.

The channel keeps the socket's `AnonymousSeat`: read when it opens, read again at each
re-verification and after a broker outage, and told of the frames the socket forwards
(`revealed`, `ended`, my other sockets' messages), so that relaying reads no database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import structlog
from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.common.broker import BrokerMessage
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.common.realtime import decode_envelope
from hypehere.application.matching.anonymous_chat import (
    AnnounceDeparture,
    AnnounceDepartureCommand,
    AnswerReveal,
    AnswerRevealCommand,
    OpenAnonymousChannel,
    OpenAnonymousChannelCommand,
    RelaySignal,
    RelaySignalCommand,
)
from hypehere.application.matching.anonymous_messages import (
    CheckFirstAnonymousMessage,
    CheckFirstAnonymousMessageCommand,
    RecordFirstAnonymousMessage,
    RecordFirstAnonymousMessageCommand,
    SendAnonymousMessage,
    SendAnonymousMessageCommand,
)
from hypehere.application.matching.anonymous_seat import AnonymousSeat
from hypehere.application.matching.leave_anonymous_conversation import (
    LeaveAnonymousConversation,
    LeaveAnonymousConversationCommand,
)
from hypehere.domain.matching.conversation import RevealOutcome
from hypehere.domain.shared.errors import DomainError
from hypehere.entrypoints.ws.frames import SendMessageRequest
from hypehere.entrypoints.ws.gateway import (
    CLOSE_FORBIDDEN,
    Channel,
    Connection,
    Frame,
    addressed_to,
    forward,
    serve,
)

logger = structlog.get_logger(__name__)

NORMAL_CLOSURE = 1000


class _PeekMessage(msgspec.Struct):
    from_: str = msgspec.field(name="from", default="")


class _Peek(msgspec.Struct):
    """What the seat needs of a frame: its type, and whether a message is mine."""

    type: str
    message: _PeekMessage | None = None


_peek = msgspec.json.Decoder(_Peek)


class OfferRequest(Frame, tag="webrtc.offer"):
    payload: msgspec.Raw


class AnswerRequest(Frame, tag="webrtc.answer"):
    payload: msgspec.Raw


class IceCandidateRequest(Frame, tag="webrtc.ice_candidate"):
    payload: msgspec.Raw


class RevealRequest(Frame, tag="reveal_request"):
    pass


class RevealAcceptRequest(Frame, tag="reveal_accept"):
    pass


class RevealDeclineRequest(Frame, tag="reveal_decline"):
    pass


class LeaveRequest(Frame, tag="leave"):
    pass


SIGNALS = (OfferRequest, AnswerRequest, IceCandidateRequest)


class AnonymousChatChannel(Channel):
    frames = (
        SendMessageRequest,
        *SIGNALS,
        RevealRequest,
        RevealAcceptRequest,
        RevealDeclineRequest,
        LeaveRequest,
    )

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        self.left = False
        self._seat: AnonymousSeat | None = None

    @property
    def seat(self) -> AnonymousSeat:
        if self._seat is None:
            raise RuntimeError("the channel is not open")
        return self._seat

    async def _read_seat(
        self, conn: Connection, container: AsyncContainer, *, announce: bool
    ) -> AnonymousSeat:
        uc = await container.get(OpenAnonymousChannel)
        fresh = await uc.execute(
            OpenAnonymousChannelCommand(
                actor=conn.actor,
                conversation_id=self.conversation_id,
                origin=conn.id,
                announce=announce,
            )
        )
        if self._seat is None:
            self._seat = fresh
        else:
            self._seat.merge(fresh)
        return self._seat

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        seat = await self._read_seat(conn, container, announce=True)
        return [seat.topic]

    async def recheck(self, conn: Connection, container: AsyncContainer) -> None:
        """Authorized as `open` does, without telling the partner `partner_joined` again;
        the seat takes in what changed meanwhile."""
        await self._read_seat(conn, container, announce=False)

    async def on_event(self, conn: Connection, message: BrokerMessage) -> None:
        envelope = decode_envelope(message.data)
        if self._seat is not None and addressed_to(conn, envelope):
            peek = _peek.decode(envelope.frame_for(conn.user_id))
            mine = peek.message is not None and peek.message.from_ == "me"
            self._seat.observe(peek.type, mine=mine)
        forward(conn, envelope)

    async def on_resync(self, conn: Connection) -> None:
        """Frames may have been lost (a `revealed`, an `ended`): the seat is read again
        (an ended conversation closes the socket with 4403), then the client is told."""
        try:
            async with conn.request_scope() as container:
                await self.recheck(conn, container)
        except StorageUnavailableError as exc:
            logger.warning("anonymous_seat_unavailable", error=type(exc).__name__)
        except DomainError as exc:
            conn.close(CLOSE_FORBIDDEN, conn.translate(exc).code)
            return
        await super().on_resync(conn)

    async def _send(
        self, conn: Connection, frame: SendMessageRequest, container: AsyncContainer
    ) -> None:
        """Checked while I have not replied, relayed, and my first message recorded once
        the ack is on its way (the only message that writes to the database)."""
        seat = self.seat
        first = not seat.replied
        if first:
            check = await container.get(CheckFirstAnonymousMessage)
            rejected = await check.execute(
                CheckFirstAnonymousMessageCommand(
                    seat=seat, content=frame.content, client_id=frame.client_id
                )
            )
            if rejected is not None:
                conn.send(rejected)
                return
        send = await container.get(SendAnonymousMessage)
        ack = await send.execute(
            SendAnonymousMessageCommand(
                seat=seat,
                content=frame.content,
                client_id=frame.client_id,
                origin=conn.id,
                checked=first,
            )
        )
        conn.send(ack)
        if first:
            record = await container.get(RecordFirstAnonymousMessage)
            try:
                await record.execute(
                    RecordFirstAnonymousMessageCommand(
                        actor=conn.actor, conversation_id=self.conversation_id
                    )
                )
            except (DomainError, OSError) as exc:  # relayed all the same; a later socket
                # of mine checks its first message again
                logger.warning("anonymous_first_message_unrecorded", error=type(exc).__name__)

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        if isinstance(frame, SendMessageRequest):
            await self._send(conn, frame, container)
        elif isinstance(frame, SIGNALS):
            relay = await container.get(RelaySignal)
            await relay.execute(
                RelaySignalCommand(
                    seat=self.seat,
                    kind=type(frame).__struct_config__.tag,  # type: ignore[arg-type]
                    payload=frame.payload,
                )
            )
        elif isinstance(frame, RevealRequest | RevealAcceptRequest | RevealDeclineRequest):
            reveal = await container.get(AnswerReveal)
            outcome = await reveal.execute(
                AnswerRevealCommand(
                    actor=conn.actor,
                    conversation_id=self.conversation_id,
                    accept=not isinstance(frame, RevealDeclineRequest),
                )
            )
            if outcome is RevealOutcome.REVEALED:
                self.seat.revealed = True
        elif isinstance(frame, LeaveRequest):
            leave = await container.get(LeaveAnonymousConversation)
            await leave.execute(
                LeaveAnonymousConversationCommand(
                    actor=conn.actor, conversation_id=self.conversation_id, origin=conn.id
                )
            )
            self.left = True
            conn.close(NORMAL_CLOSURE, "left")

    async def on_close(self, conn: Connection) -> None:
        if self.left:
            return
        async with conn.request_scope() as container:
            uc = await container.get(AnnounceDeparture)
            await uc.execute(
                AnnounceDepartureCommand(
                    actor=conn.actor, conversation_id=self.conversation_id, origin=conn.id
                )
            )


@websocket("/ws/anonymous-chat/{conversation_id:str}")
async def anonymous_chat_socket(socket: WebSocket[Any, Any, Any], conversation_id: str) -> None:
    await serve(socket, AnonymousChatChannel(conversation_id))
