"""`GET /notifications`: my notifications, newest activity first, cursor-paginated."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.notifications.ports import NotificationReader, NotificationView
from hypehere.domain.shared.pagination import PageRequest

CURSOR_ARITY = 2  # (updated_at ISO string, id)


class ListNotificationsCommand(msgspec.Struct, frozen=True):
    actor: Actor
    unread_only: bool = False
    limit: int | None = None
    cursor: str | None = None


class ListNotificationsResult(msgspec.Struct, frozen=True):
    items: list[NotificationView]
    next_cursor: str | None


class ListNotifications:
    def __init__(self, reader: NotificationReader) -> None:
        self._reader = reader

    async def execute(self, cmd: ListNotificationsCommand) -> ListNotificationsResult:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        result = await self._reader.list_for(
            cmd.actor.user_id, unread_only=cmd.unread_only, page=page
        )
        return ListNotificationsResult(items=result.items, next_cursor=result.next_cursor)
