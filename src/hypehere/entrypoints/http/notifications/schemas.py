"""Request and response bodies of `/notifications` (the notification itself is the shared
`entrypoints.common.schemas.NotificationOut`)."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.mark_notifications_read import (
    MarkNotificationsReadResult,
)
from hypehere.entrypoints.common.schemas import Id, NotificationOut


class NotificationPageOut(msgspec.Struct, frozen=True):
    items: list[NotificationOut]
    next_cursor: str | None


class MarkReadIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Either `{"ids": [...]}` or `{"all": true}`."""

    ids: list[Id] | None = None
    all: bool = False


class MarkReadOut(msgspec.Struct, frozen=True):
    updated: int
    unread_count: int

    @classmethod
    def of(cls, result: MarkNotificationsReadResult) -> MarkReadOut:
        return cls(updated=result.updated, unread_count=result.unread_count)


class UnreadCountOut(msgspec.Struct, frozen=True):
    count: int


class NotificationSettingsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`kinds`: kind -> on/off (the in-app switch: off means no notification of that kind
    is created). `channels`: kind -> {"in_app"?: bool, "push"?: bool}. Both optional;
    what is left out keeps its value."""

    kinds: dict[str, bool] | None = None
    channels: dict[str, dict[str, bool]] | None = None


class NotificationSettingsOut(msgspec.Struct, frozen=True):
    kinds: dict[str, bool]
    channels: dict[str, dict[str, bool]]
