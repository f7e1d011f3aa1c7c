"""How many of my notifications are unread (sent first on every `/ws/notifications`)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.notifications.ports import NotificationRepository


class GetUnreadCountCommand(msgspec.Struct, frozen=True):
    actor: Actor


class GetUnreadCountResult(msgspec.Struct, frozen=True):
    count: int


class GetUnreadCount:
    def __init__(self, repository: NotificationRepository) -> None:
        self._repository = repository

    async def execute(self, cmd: GetUnreadCountCommand) -> GetUnreadCountResult:
        counts = await self._repository.unread_counts([cmd.actor.user_id])
        return GetUnreadCountResult(count=counts.get(cmd.actor.user_id, 0))
