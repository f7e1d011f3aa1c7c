"""`GET /notifications/settings`: on/off per kind and per channel."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.notifications.ports import NotificationSettingsRepository
from hypehere.domain.notifications.model import NotificationSettings


class GetNotificationSettingsCommand(msgspec.Struct, frozen=True):
    actor: Actor


class NotificationSettingsResult(msgspec.Struct, frozen=True):
    """`kinds[kind]` is the in-app switch (off = muted: nothing is created);
    `channels[kind][channel]` has every channel (`in_app`, `push`)."""

    kinds: dict[str, bool]
    channels: dict[str, dict[str, bool]]

    @classmethod
    def of(cls, settings: NotificationSettings) -> NotificationSettingsResult:
        plain = settings.as_plain()
        return cls(kinds={k: v["in_app"] for k, v in plain.items()}, channels=plain)


class GetNotificationSettings:
    def __init__(self, settings: NotificationSettingsRepository) -> None:
        self._settings = settings

    async def execute(self, cmd: GetNotificationSettingsCommand) -> NotificationSettingsResult:
        return NotificationSettingsResult.of(await self._settings.get(cmd.actor.user_id))
