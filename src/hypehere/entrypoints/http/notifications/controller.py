"""`/notifications`: list, mark read, unread count, settings."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, get, patch, post

from hypehere.application.common.actor import Actor
from hypehere.application.notifications.get_notification_settings import (
    GetNotificationSettings,
    GetNotificationSettingsCommand,
    NotificationSettingsResult,
)
from hypehere.application.notifications.get_unread_count import (
    GetUnreadCount,
    GetUnreadCountCommand,
)
from hypehere.application.notifications.list_notifications import (
    ListNotifications,
    ListNotificationsCommand,
)
from hypehere.application.notifications.mark_notifications_read import (
    MarkNotificationsRead,
    MarkNotificationsReadCommand,
)
from hypehere.application.notifications.update_notification_settings import (
    UpdateNotificationSettings,
    UpdateNotificationSettingsCommand,
)
from hypehere.entrypoints.common.schemas import NotificationOut
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.notifications.schemas import (
    MarkReadIn,
    MarkReadOut,
    NotificationPageOut,
    NotificationSettingsIn,
    NotificationSettingsOut,
    UnreadCountOut,
)


def _settings_out(result: NotificationSettingsResult) -> NotificationSettingsOut:
    return NotificationSettingsOut(kinds=result.kinds, channels=result.channels)


class NotificationsController(Controller):
    path = "/notifications"
    tags = ["notifications"]

    @get("/")
    @inject
    async def list_notifications(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        uc: FromDishka[ListNotifications],
        unread_only: bool = False,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> NotificationPageOut:
        result = await uc.execute(
            ListNotificationsCommand(
                actor=actor, unread_only=unread_only, limit=limit, cursor=cursor
            )
        )
        language = request_language(request)
        return NotificationPageOut(
            items=[NotificationOut.of(v, language) for v in result.items],
            next_cursor=result.next_cursor,
        )

    @post("/read", status_code=200)
    @inject
    async def mark_read(
        self, actor: Actor, data: MarkReadIn, uc: FromDishka[MarkNotificationsRead]
    ) -> MarkReadOut:
        result = await uc.execute(
            MarkNotificationsReadCommand(actor=actor, ids=data.ids, all=data.all)
        )
        return MarkReadOut.of(result)

    @get("/unread-count")
    @inject
    async def unread_count(self, actor: Actor, uc: FromDishka[GetUnreadCount]) -> UnreadCountOut:
        result = await uc.execute(GetUnreadCountCommand(actor=actor))
        return UnreadCountOut(count=result.count)

    @get("/settings")
    @inject
    async def get_settings(
        self, actor: Actor, uc: FromDishka[GetNotificationSettings]
    ) -> NotificationSettingsOut:
        return _settings_out(await uc.execute(GetNotificationSettingsCommand(actor=actor)))

    @patch("/settings")
    @inject
    async def update_settings(
        self,
        actor: Actor,
        data: NotificationSettingsIn,
        uc: FromDishka[UpdateNotificationSettings],
    ) -> NotificationSettingsOut:
        result = await uc.execute(
            UpdateNotificationSettingsCommand(actor=actor, kinds=data.kinds, channels=data.channels)
        )
        return _settings_out(result)
