"""`/ws/chat/{conversation_id}`: a 1:1 conversation, live (participants only, else 4403).

Client frames: `{"type": "message", "content", "client_id"}` -> `{"type": "ack", "client_id",
"message"}` once stored, and everyone else in the conversation gets `{"type": "message",
"message"}`; `{"type": "read"}` -> `{"type": "read", "user_id", "last_read_message_id"}` to
the other side (if both allow read receipts); `{"type": "typing"}` -> `{"type": "typing",
"user_id"}` (never stored); `{"type": "correction", "message_id", "corrected_text", "note?",
"category"}` corrects a message of the conversation (as `POST /corrections`) and everyone in
it gets `{"type": "correction", "correction"}`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.chat.mark_read import MarkRead, MarkReadCommand
from hypehere.application.chat.open_conversation_channel import (
    OpenConversationChannel,
    OpenConversationChannelCommand,
)
from hypehere.application.chat.send_message import SendMessage, SendMessageCommand
from hypehere.application.chat.views import MessageView
from hypehere.application.learning.correct_message import CorrectMessage, CorrectMessageCommand
from hypehere.entrypoints.ws.frames import (
    MessageStreamChannel,
    SendMessageRequest,
    TypingRequest,
    relay_typing,
)
from hypehere.entrypoints.ws.gateway import Connection, Frame, serve


class ReadRequest(Frame, tag="read"):
    """Mark the conversation read (the others get a `ReadReceiptFrame`)."""


class CorrectionRequest(Frame, tag="correction"):
    """Correct a message of this conversation (a native speaker of its language)."""

    message_id: str
    corrected_text: str
    category: str
    note: str | None = None


class MessageAckFrame(Frame, tag="ack"):
    client_id: str | None
    message: MessageView  # the same Struct the conversation's `message` broadcast carries


class ChatChannel(MessageStreamChannel):
    frames = (SendMessageRequest, ReadRequest, TypingRequest, CorrectionRequest)

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        self.topic = ""

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        uc = await container.get(OpenConversationChannel)
        self.topic = await uc.execute(
            OpenConversationChannelCommand(actor=conn.actor, conversation_id=self.conversation_id)
        )
        return [self.topic]

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        if isinstance(frame, SendMessageRequest):
            send = await container.get(SendMessage)
            result = await send.execute(
                SendMessageCommand(
                    actor=conn.actor,
                    conversation_id=self.conversation_id,
                    content=frame.content,
                    client_id=frame.client_id,
                    origin=conn.id,
                )
            )
            conn.send(MessageAckFrame(client_id=frame.client_id, message=result.message))
            self.sent_message(result.message.id)
        elif isinstance(frame, ReadRequest):
            mark = await container.get(MarkRead)
            await mark.execute(
                MarkReadCommand(
                    actor=conn.actor, conversation_id=self.conversation_id, origin=conn.id
                )
            )
        elif isinstance(frame, TypingRequest):
            await relay_typing(conn, container, self.topic)
        elif isinstance(frame, CorrectionRequest):
            correct = await container.get(CorrectMessage)
            await correct.execute(
                CorrectMessageCommand(
                    actor=conn.actor,
                    conversation_id=self.conversation_id,
                    topic=self.topic,
                    message_id=frame.message_id,
                    corrected_text=frame.corrected_text,
                    category=frame.category,
                    note=frame.note,
                )
            )


@websocket("/ws/chat/{conversation_id:str}")
async def chat_socket(socket: WebSocket[Any, Any, Any], conversation_id: str) -> None:
    await serve(socket, ChatChannel(conversation_id))
