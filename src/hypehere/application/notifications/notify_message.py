"""`chat.message_sent` -> a message notification for each recipient, except for
conversations waiting in the recipient's `requests` folder (no push for strangers).

`execute_many` takes a run of messages at once (one transaction, one read of the audience
and settings for all of them): under chat load the outbox hands them over in batches."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from hypehere.application.notifications.compose import ComposeAndPublish, Draft, NotifyResult
from hypehere.domain.notifications.model import NotificationKind, Target, TargetType


class NotifyMessageCommand(msgspec.Struct, frozen=True):
    event_id: str
    message_id: str
    conversation_id: str
    sender_id: str
    recipient_ids: list[str]
    is_request: bool = False


class NotifyMessage:
    def __init__(self, run: ComposeAndPublish) -> None:
        self._run = run

    async def execute(self, cmd: NotifyMessageCommand) -> NotifyResult:
        return await self.execute_many([cmd])

    async def execute_many(self, cmds: Sequence[NotifyMessageCommand]) -> NotifyResult:
        drafts = [
            Draft(
                kind=NotificationKind.MESSAGE,
                actor_id=cmd.sender_id,
                target=Target(TargetType.MESSAGE, cmd.message_id, parent_id=cmd.conversation_id),
                recipient_ids=cmd.recipient_ids,
                event_id=cmd.event_id,
            )
            for cmd in cmds
            if not cmd.is_request
        ]
        if not drafts:
            return NotifyResult(notified=0)
        return await self._run.run(drafts)
