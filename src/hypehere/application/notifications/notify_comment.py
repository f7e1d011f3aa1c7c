"""`feed.comment_created` -> a comment notification for the post's author."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target, TargetType


class NotifyCommentCommand(msgspec.Struct, frozen=True):
    event_id: str
    comment_id: str
    post_id: str
    post_author_id: str
    author_id: str


class NotifyComment:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyCommentCommand) -> NotifyResult:
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.COMMENT,
                    actor_id=cmd.author_id,
                    target=Target(TargetType.COMMENT, cmd.comment_id, parent_id=cmd.post_id),
                    recipient_ids=[cmd.post_author_id],
                    event_id=cmd.event_id,
                )
            ]
        )
