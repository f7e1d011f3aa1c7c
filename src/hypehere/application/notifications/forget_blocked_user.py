"""`users.blocked` -> blocked users vanish from each other's notifications (their own
notifications are deleted, groups lose them), then both get their new unread count."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.ports import NotificationRepository
from hypehere.application.notifications.publish import NotificationPublisher

logger = structlog.get_logger(__name__)


class ForgetBlockedUserCommand(msgspec.Struct, frozen=True):
    blocker_id: str
    blocked_id: str


class ForgetBlockedUserResult(msgspec.Struct, frozen=True):
    changed: int


class ForgetBlockedUser:
    def __init__(
        self,
        uow: UnitOfWork,
        repository: NotificationRepository,
        publisher: NotificationPublisher,
    ) -> None:
        self._uow = uow
        self._repository = repository
        self._publisher = publisher

    async def execute(self, cmd: ForgetBlockedUserCommand) -> ForgetBlockedUserResult:
        affected: list[str] = []
        changed = 0
        async with self._uow:
            for recipient, actor in (
                (cmd.blocker_id, cmd.blocked_id),
                (cmd.blocked_id, cmd.blocker_id),
            ):
                count = await self._repository.forget_actor(recipient, actor)
                if count:
                    affected.append(recipient)
                    changed += count
            await self._publisher.publish_unread_counts(affected)
        if changed:
            logger.info("notifications_forgot_blocked_user", changed=changed)
        return ForgetBlockedUserResult(changed=changed)
