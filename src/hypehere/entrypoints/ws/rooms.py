"""`/ws/open-chat/{room_id}`: an open room, live (members only, else 4403).

Client frames: `message` (acked, then broadcast), `typing`, and for admins
`{"type": "kick", "user_id", "duration_minutes"}` / `{"type": "ban", "user_id"}`. Server
events: `message`, `typing`, `joined`, `left`, `kicked`, `banned`, `admin_granted`; a kicked
or banned user's sockets in the room get the event and are then closed with 4403."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.chat.open_room_channel import OpenRoomChannel, OpenRoomChannelCommand
from hypehere.application.chat.restrict_room_member import (
    RestrictRoomMember,
    RestrictRoomMemberCommand,
)
from hypehere.application.chat.send_room_message import SendRoomMessage, SendRoomMessageCommand
from hypehere.application.chat.views import RoomMessageView
from hypehere.domain.chat.model import RestrictionKind
from hypehere.entrypoints.common.schemas import Id
from hypehere.entrypoints.ws.frames import (
    MessageStreamChannel,
    SendMessageRequest,
    TypingRequest,
    relay_typing,
)
from hypehere.entrypoints.ws.gateway import Connection, Frame, serve


class KickRequest(Frame, tag="kick"):
    user_id: Id
    duration_minutes: int


class BanRequest(Frame, tag="ban"):
    user_id: Id


class RoomMessageAckFrame(Frame, tag="ack"):
    client_id: str | None
    message: RoomMessageView  # the same Struct the room's `message` broadcast carries


class RoomChannel(MessageStreamChannel):
    frames = (SendMessageRequest, TypingRequest, KickRequest, BanRequest)

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self.topic = ""

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        uc = await container.get(OpenRoomChannel)
        self.topic = await uc.execute(
            OpenRoomChannelCommand(actor=conn.actor, room_id=self.room_id)
        )
        return [self.topic]

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        if isinstance(frame, SendMessageRequest):
            send = await container.get(SendRoomMessage)
            result = await send.execute(
                SendRoomMessageCommand(
                    actor=conn.actor,
                    room_id=self.room_id,
                    content=frame.content,
                    client_id=frame.client_id,
                    origin=conn.id,
                )
            )
            conn.send(RoomMessageAckFrame(client_id=frame.client_id, message=result.message))
            self.sent_message(result.message.id)
        elif isinstance(frame, TypingRequest):
            await relay_typing(conn, container, self.topic)
        elif isinstance(frame, KickRequest | BanRequest):
            restrict = await container.get(RestrictRoomMember)
            is_kick = isinstance(frame, KickRequest)
            await restrict.execute(
                RestrictRoomMemberCommand(
                    actor=conn.actor,
                    room_id=self.room_id,
                    user_id=frame.user_id,
                    kind=RestrictionKind.KICK if is_kick else RestrictionKind.BAN,
                    duration_minutes=frame.duration_minutes
                    if isinstance(frame, KickRequest)
                    else None,
                    origin=conn.id,
                )
            )


@websocket("/ws/open-chat/{room_id:str}")
async def room_socket(socket: WebSocket[Any, Any, Any], room_id: str) -> None:
    await serve(socket, RoomChannel(room_id))
