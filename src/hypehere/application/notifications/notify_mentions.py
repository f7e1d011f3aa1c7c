"""`mentioned_user_ids` of `feed.post_created` / `feed.comment_created` -> mention
notifications. Someone already notified about the same thing (the post's author for a
comment) is passed in `exclude_ids` so they get one notification, not two."""

from __future__ import annotations

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target


class NotifyMentionsCommand(msgspec.Struct, frozen=True):
    event_id: str
    author_id: str
    mentioned_user_ids: list[str]
    post_id: str
    comment_id: str | None = None  # set for a mention in a comment
    exclude_ids: list[str] = []


class NotifyMentions:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyMentionsCommand) -> NotifyResult:
        excluded = set(cmd.exclude_ids)
        recipients = [u for u in cmd.mentioned_user_ids if u not in excluded]
        target = Target.post_or_comment(cmd.post_id, cmd.comment_id)
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.MENTION,
                    actor_id=cmd.author_id,
                    target=target,
                    recipient_ids=recipients,
                    event_id=cmd.event_id,
                )
            ]
        )
