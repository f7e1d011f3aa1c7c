"""`feed.post_liked` / `feed.comment_liked` -> a like notification for the author, grouped
per liked post or comment."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target


class NotifyLikeCommand(msgspec.Struct, frozen=True):
    event_id: str
    liker_id: str
    owner_id: str
    post_id: str
    comment_id: str | None = None  # set when a comment was liked


class NotifyLike:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyLikeCommand) -> NotifyResult:
        target = Target.post_or_comment(cmd.post_id, cmd.comment_id)
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.LIKE,
                    actor_id=cmd.liker_id,
                    target=target,
                    recipient_ids=[cmd.owner_id],
                    event_id=cmd.event_id,
                )
            ]
        )
