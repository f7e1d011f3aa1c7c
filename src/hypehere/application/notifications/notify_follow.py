"""`users.followed` -> a follow notification for the followee (grouped per followee)."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target, TargetType


class NotifyFollowCommand(msgspec.Struct, frozen=True):
    event_id: str
    follower_id: str
    followee_id: str


class NotifyFollow:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyFollowCommand) -> NotifyResult:
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.FOLLOW,
                    actor_id=cmd.follower_id,
                    target=Target(TargetType.USER, cmd.followee_id),
                    recipient_ids=[cmd.followee_id],
                    event_id=cmd.event_id,
                )
            ]
        )
