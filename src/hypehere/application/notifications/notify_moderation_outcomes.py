"""Moderation outcomes -> notifications without an actor (staff stay anonymous): the
reporter learns a report was decided (`report`), a user learns of a strike (`moderation`,
the removal of content is already told by `notify_content_removed`), and of the decision
on their appeal (`appeal`)."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target, TargetType


class NotifyModerationOutcomeCommand(msgspec.Struct, frozen=True):
    event_id: str
    kind: str  # report | moderation | appeal
    recipient_id: str
    target_type: str  # report | strike | appeal
    target_id: str


class NotifyModerationOutcome:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyModerationOutcomeCommand) -> NotifyResult:
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind(cmd.kind),
                    actor_id=None,
                    target=Target(TargetType(cmd.target_type), cmd.target_id),
                    recipient_ids=[cmd.recipient_id],
                    event_id=cmd.event_id,
                )
            ]
        )
