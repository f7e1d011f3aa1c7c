"""`learning.correction_accepted` -> a correction notification for the corrector: the
author of the text accepted their correction (the target is the corrected text)."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target, TargetType


class NotifyCorrectionAcceptedCommand(msgspec.Struct, frozen=True):
    event_id: str
    corrector_id: str
    author_id: str
    target_type: str  # post | comment | message
    target_id: str


class NotifyCorrectionAccepted:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyCorrectionAcceptedCommand) -> NotifyResult:
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.CORRECTION,
                    actor_id=cmd.author_id,
                    target=Target(TargetType(cmd.target_type), cmd.target_id),
                    recipient_ids=[cmd.corrector_id],
                    event_id=cmd.event_id,
                )
            ]
        )
