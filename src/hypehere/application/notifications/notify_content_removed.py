"""`feed.post_removed` / `feed.comment_removed` (moderation) -> a moderation notification
for the author. No actor: it comes from the staff, who stay anonymous."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target


class NotifyContentRemovedCommand(msgspec.Struct, frozen=True):
    event_id: str
    author_id: str
    post_id: str
    comment_id: str | None = None  # set when a comment was removed


class NotifyContentRemoved:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyContentRemovedCommand) -> NotifyResult:
        target = Target.post_or_comment(cmd.post_id, cmd.comment_id)
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.MODERATION,
                    actor_id=None,
                    target=target,
                    recipient_ids=[cmd.author_id],
                    event_id=cmd.event_id,
                )
            ]
        )
