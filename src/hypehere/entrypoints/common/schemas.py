"""Public schemas that HTTP responses and WebSocket frames both send.

- message (`/conversations/{id}/messages`, the chat socket's `ack` and `message` frames):
  `application.chat.views.MessageView` itself, and `RoomMessageView` for rooms. The use
  cases broadcast these views, so HTTP and the acks serialize the very same Struct rather
  than a copy kept in sync by hand.
- notification (`GET /notifications` items, the notifications socket's `notification`
  frame): `NotificationOut` below, rendered from a `NotificationView` in the reader's
  language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.common.views import UserCard
from hypehere.application.notifications.ports import NotificationView
from hypehere.domain.shared.ids import ID_PATTERN
from hypehere.entrypoints.common.notification_texts import render_text

# An id in a request body (`{"user_id": ...}`): the form the app issues (a UUID in canonical
# text), else 422 naming the field, so a malformed id never reaches a database query.
Id = Annotated[
    str, msgspec.Meta(pattern=ID_PATTERN, examples=["0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d"])
]


class TargetOut(msgspec.Struct, frozen=True, omit_defaults=True):
    """`{type, id}`; a comment target adds `post_id`, a message target `conversation_id`."""

    type: str
    id: str
    post_id: str | None = None
    conversation_id: str | None = None


class NotificationOut(msgspec.Struct, frozen=True):
    id: str
    kind: str
    actors: list[UserCard]
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
            actors=view.actors,
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
