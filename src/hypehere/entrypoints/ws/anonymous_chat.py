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
only an encrypted transcript is kept, for 72 hours, so that a report can attach it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.matching.anonymous_chat import (
    AnnounceDeparture,
    AnnounceDepartureCommand,
    AnswerReveal,
    AnswerRevealCommand,
    OpenAnonymousChannel,
    OpenAnonymousChannelCommand,
    RelaySignal,
    RelaySignalCommand,
    SendAnonymousMessage,
    SendAnonymousMessageCommand,
)
from hypehere.application.matching.leave_anonymous_conversation import (
    LeaveAnonymousConversation,
    LeaveAnonymousConversationCommand,
)
from hypehere.entrypoints.ws.frames import SendMessageRequest
from hypehere.entrypoints.ws.gateway import Channel, Connection, Frame, serve

NORMAL_CLOSURE = 1000


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

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        uc = await container.get(OpenAnonymousChannel)
        topic = await uc.execute(
            OpenAnonymousChannelCommand(
                actor=conn.actor, conversation_id=self.conversation_id, origin=conn.id
            )
        )
        return [topic]

    async def recheck(self, conn: Connection, container: AsyncContainer) -> None:
        """Authorized as `open` does, without telling the partner `partner_joined` again."""
        uc = await container.get(OpenAnonymousChannel)
        await uc.execute(
            OpenAnonymousChannelCommand(
                actor=conn.actor,
                conversation_id=self.conversation_id,
                origin=conn.id,
                announce=False,
            )
        )

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        if isinstance(frame, SendMessageRequest):
            send = await container.get(SendAnonymousMessage)
            ack = await send.execute(
                SendAnonymousMessageCommand(
                    actor=conn.actor,
                    conversation_id=self.conversation_id,
                    content=frame.content,
                    client_id=frame.client_id,
                    origin=conn.id,
                )
            )
            conn.send(ack)
        elif isinstance(frame, SIGNALS):
            relay = await container.get(RelaySignal)
            await relay.execute(
                RelaySignalCommand(
                    actor=conn.actor,
                    conversation_id=self.conversation_id,
                    kind=type(frame).__struct_config__.tag,  # type: ignore[arg-type]
                    payload=frame.payload,
                )
            )
        elif isinstance(frame, RevealRequest | RevealAcceptRequest | RevealDeclineRequest):
            reveal = await container.get(AnswerReveal)
            await reveal.execute(
                AnswerRevealCommand(
                    actor=conn.actor,
                    conversation_id=self.conversation_id,
                    accept=not isinstance(frame, RevealDeclineRequest),
                )
            )
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
