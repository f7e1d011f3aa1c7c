"""`POST /notifications/read`: mark some (`ids`) or all of my notifications read, then push
the new unread count to my sockets."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.ports import NotificationRepository
from hypehere.application.notifications.publish import NotificationPublisher
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError

MAX_IDS = 500


class MarkNotificationsReadCommand(msgspec.Struct, frozen=True):
    actor: Actor
    ids: list[str] | None = None
    all: bool = False


class MarkNotificationsReadResult(msgspec.Struct, frozen=True):
    updated: int
    unread_count: int


class MarkNotificationsRead:
    def __init__(
        self,
        uow: UnitOfWork,
        repository: NotificationRepository,
        publisher: NotificationPublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._repository = repository
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: MarkNotificationsReadCommand) -> MarkNotificationsReadResult:
        if cmd.all == (cmd.ids is not None):
            raise InvalidInputError("Give either ids or all: true", field="ids")
        if cmd.ids is not None and len(cmd.ids) > MAX_IDS:
            raise InvalidInputError(f"At most {MAX_IDS} ids at once", field="ids")
        user_id = cmd.actor.user_id
        async with self._uow:
            updated = await self._repository.mark_read(
                user_id, None if cmd.all else list(dict.fromkeys(cmd.ids or [])), self._clock.now()
            )
            counts = await self._repository.unread_counts([user_id])
            if updated:
                await self._publisher.publish_unread_counts([user_id])
        return MarkNotificationsReadResult(updated=updated, unread_count=counts.get(user_id, 0))
