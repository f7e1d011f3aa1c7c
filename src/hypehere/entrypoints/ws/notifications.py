"""`/ws/notifications`: my notifications, live.

On connect the server sends `{"type": "unread_count", "count"}`; then every new or grouped
notification arrives as `{"type": "notification", "notification": {...}}` (same shape as
`GET /notifications` items, text in my interface language) followed by the new
`unread_count`. Clients may send `{"type": "read", "ids": [...]}` or
`{"type": "read", "all": true}` (same as `POST /notifications/read`).

Frames come from the broker topic `notifications.user.{id}`
(`application.common.topics.user_notifications_topic`), so they reach a socket on any
process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.common.broker import BrokerMessage
from hypehere.application.common.topics import user_notifications_topic
from hypehere.application.notifications.get_unread_count import (
    GetUnreadCount,
    GetUnreadCountCommand,
)
from hypehere.application.notifications.mark_notifications_read import (
    MarkNotificationsRead,
    MarkNotificationsReadCommand,
)
from hypehere.application.notifications.publish import (
    NotificationFrame,
    UnreadCountFrame,
    decode_frame,
)
from hypehere.entrypoints.common.schemas import Id, NotificationOut
from hypehere.entrypoints.ws.gateway import Channel, Connection, Frame, ResyncFrame, serve


class MarkNotificationsReadRequest(Frame, tag="read"):
    ids: list[Id] | None = None
    all: bool = False


class NotificationOutFrame(Frame, tag="notification"):
    """The broker's `NotificationFrame` rendered for this reader (text in their language)."""

    notification: NotificationOut


class NotificationsChannel(Channel):
    frames = (MarkNotificationsReadRequest,)

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        return [user_notifications_topic(conn.user_id)]

    async def on_open(self, conn: Connection, container: AsyncContainer) -> None:
        uc = await container.get(GetUnreadCount)
        result = await uc.execute(GetUnreadCountCommand(actor=conn.actor))
        conn.send(UnreadCountFrame(count=result.count))

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        assert isinstance(frame, MarkNotificationsReadRequest)
        uc = await container.get(MarkNotificationsRead)
        result = await uc.execute(
            MarkNotificationsReadCommand(actor=conn.actor, ids=frame.ids, all=frame.all)
        )
        if not result.updated:
            # Nothing changed, so nothing is published: answer this socket directly.
            conn.send(UnreadCountFrame(count=result.unread_count))

    async def on_resync(self, conn: Connection) -> None:
        """`{"type": "resync"}`, then the unread count as it is now (one cheap query)."""
        conn.send(ResyncFrame())
        async with conn.request_scope() as container:
            await self.on_open(conn, container)

    async def on_event(self, conn: Connection, message: BrokerMessage) -> None:
        frame = decode_frame(message.data)
        if isinstance(frame, NotificationFrame):
            conn.send(
                NotificationOutFrame(
                    notification=NotificationOut.of(frame.notification, conn.language)
                )
            )
        else:
            conn.send(frame)  # the unread count needs no rendering


@websocket("/ws/notifications")
async def notifications_socket(socket: WebSocket[Any, Any, Any]) -> None:
    await serve(socket, NotificationsChannel())


__all__ = ["notifications_socket"]
