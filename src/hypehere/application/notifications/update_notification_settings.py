"""`PATCH /notifications/settings`: change some switches, keep the rest.

`kinds: {"like": false}` sets the in-app switch of a kind (mutes or unmutes it);
`channels: {"like": {"push": false}}` sets individual channels. Unknown kinds or channels
are rejected (422)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.get_notification_settings import (
    NotificationSettingsResult,
)
from hypehere.application.notifications.ports import NotificationSettingsRepository
from hypehere.domain.notifications.model import Channel, NotificationKind
from hypehere.domain.shared.clock import Clock


class UpdateNotificationSettingsCommand(msgspec.Struct, frozen=True):
    actor: Actor
    kinds: dict[str, bool] | None = None
    channels: dict[str, dict[str, bool]] | None = None


class UpdateNotificationSettings:
    def __init__(
        self, uow: UnitOfWork, settings: NotificationSettingsRepository, clock: Clock
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._clock = clock

    async def execute(self, cmd: UpdateNotificationSettingsCommand) -> NotificationSettingsResult:
        changes: list[tuple[NotificationKind, Channel, bool]] = []
        for kind_value, enabled in (cmd.kinds or {}).items():
            changes.append((NotificationKind.parse(kind_value), Channel.IN_APP, enabled))
        for kind_value, channels in (cmd.channels or {}).items():
            kind = NotificationKind.parse(kind_value)
            for channel_value, enabled in channels.items():
                changes.append((kind, Channel.parse(channel_value), enabled))
        async with self._uow:
            settings = await self._settings.get(cmd.actor.user_id)
            for kind, channel, enabled in changes:
                settings.set(kind, channel, enabled)
            if changes:
                await self._settings.save(settings, self._clock.now())
        return NotificationSettingsResult.of(settings)
