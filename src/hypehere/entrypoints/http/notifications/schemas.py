"""Request and response bodies of `/notifications` (and the `/ws/notifications` frames)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.notifications.mark_notifications_read import (
    MarkNotificationsReadResult,
)
from hypehere.application.notifications.ports import ActorSummary, NotificationView
from hypehere.entrypoints.http.notifications.texts import render_text


class ActorOut(msgspec.Struct, frozen=True):
    id: str
    handle: str
    nickname: str
    avatar_url: str | None

    @classmethod
    def of(cls, actor: ActorSummary) -> ActorOut:
        return cls(
            id=actor.id, handle=actor.handle, nickname=actor.nickname, avatar_url=actor.avatar_url
        )


class TargetOut(msgspec.Struct, frozen=True, omit_defaults=True):
    """`{type, id}`; a comment target adds `post_id`, a message target `conversation_id`."""

    type: str
    id: str
    post_id: str | None = None
    conversation_id: str | None = None


class NotificationOut(msgspec.Struct, frozen=True):
    id: str
    kind: str
    actors: list[ActorOut]
    actor_count: int
    target: TargetOut
    text: str
    read: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: NotificationView, language: str) -> NotificationOut:
        target = view.target
        return cls(
            id=view.id,
            kind=view.kind,
            actors=[ActorOut.of(a) for a in view.actors],
            actor_count=view.actor_count,
            target=TargetOut(
                type=target.type,
                id=target.id,
                post_id=target.parent_id if target.type == "comment" else None,
                conversation_id=target.parent_id if target.type == "message" else None,
            ),
            text=render_text(language, view.kind, target.type, view.actors, view.actor_count),
            read=view.read,
            created_at=view.created_at,
            updated_at=view.updated_at,
        )


class NotificationPageOut(msgspec.Struct, frozen=True):
    items: list[NotificationOut]
    next_cursor: str | None


class MarkReadIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Either `{"ids": [...]}` or `{"all": true}`."""

    ids: list[str] | None = None
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
