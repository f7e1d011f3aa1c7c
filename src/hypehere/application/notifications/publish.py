"""Live delivery: after the commit, each recipient's topic gets the notification and the
new unread count, so `/ws/notifications` sockets on any process receive them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec
import structlog

from hypehere.application.common.broker import Broker
from hypehere.application.common.topics import user_notifications_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.common.views import UserCard
from hypehere.application.notifications.ports import (
    NotificationRepository,
    NotificationView,
    TargetView,
    UserDirectory,
)
from hypehere.domain.notifications.model import Notification

logger = structlog.get_logger(__name__)


class NotificationFrame(msgspec.Struct, frozen=True, tag_field="type", tag="notification"):
    notification: NotificationView


class UnreadCountFrame(msgspec.Struct, frozen=True, tag_field="type", tag="unread_count"):
    count: int


LiveFrame = NotificationFrame | UnreadCountFrame

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(LiveFrame)


def encode_frame(frame: LiveFrame) -> bytes:
    return _encoder.encode(frame)


def decode_frame(data: bytes) -> LiveFrame:
    frame: LiveFrame = _decoder.decode(data)
    return frame


def to_view(notification: Notification, actors: dict[str, UserCard]) -> NotificationView:
    return NotificationView(
        id=notification.id,
        kind=notification.kind.value,
        actors=[actors[a] for a in notification.actor_ids if a in actors],
        actor_count=notification.actor_count,
        target=TargetView(
            type=notification.target.type.value,
            id=notification.target.id,
            parent_id=notification.target.parent_id,
        ),
        read=notification.read,
        created_at=notification.created_at,
        updated_at=notification.updated_at,
    )


class NotificationPublisher:
    """Prepares live frames inside the transaction (so the unread counts include its own
    changes) and hands them to the unit of work's `after_commit`: they are published only once
    the transaction has committed, and never if it rolls back. Call its methods inside the
    unit of work."""

    def __init__(
        self,
        broker: Broker,
        repository: NotificationRepository,
        directory: UserDirectory,
        uow: UnitOfWork,
    ) -> None:
        self._broker = broker
        self._repository = repository
        self._directory = directory
        self._uow = uow

    async def publish_notifications(self, notifications: Sequence[Notification]) -> None:
        if not notifications:
            return
        actor_ids = list(dict.fromkeys(a for n in notifications for a in n.actor_ids))
        actors = await self._directory.summaries(actor_ids)
        frames: list[tuple[str, LiveFrame]] = [
            (n.recipient_id, NotificationFrame(notification=to_view(n, actors)))
            for n in notifications
        ]
        frames += await self._count_frames(n.recipient_id for n in notifications)
        self._schedule(frames)

    async def publish_unread_counts(self, recipient_ids: Iterable[str]) -> None:
        self._schedule(await self._count_frames(recipient_ids))

    async def _count_frames(self, recipient_ids: Iterable[str]) -> list[tuple[str, LiveFrame]]:
        unique = list(dict.fromkeys(recipient_ids))
        if not unique:
            return []
        counts = await self._repository.unread_counts(unique)
        return [(r, UnreadCountFrame(count=counts.get(r, 0))) for r in unique]

    def _schedule(self, frames: list[tuple[str, LiveFrame]]) -> None:
        if not frames:
            return

        async def send() -> None:
            # One round trip for the whole batch (an outbox run: hundreds of pushes under
            # chat load). Live pushes are best effort (the list endpoint is the source of
            # truth): a broker hiccup must not undo or repeat the committed notifications.
            messages = [(user_notifications_topic(r), encode_frame(frame)) for r, frame in frames]
            try:
                await self._broker.publish_many(messages)
            except Exception as exc:
                logger.warning(
                    "notification_push_failed",
                    recipients=len({r for r, _ in frames}),
                    error=type(exc).__name__,
                )

        self._uow.after_commit(send)
