"""`chat.message_sent` -> a message notification for each recipient, except for
conversations waiting in the recipient's `requests` folder (no push for strangers)."""

from __future__ import annotations

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
        if cmd.is_request:
            return NotifyResult(notified=0)
        return await self._run.run(
            [
                Draft(
                    kind=NotificationKind.MESSAGE,
                    actor_id=cmd.sender_id,
                    target=Target(
                        TargetType.MESSAGE, cmd.message_id, parent_id=cmd.conversation_id
                    ),
                    recipient_ids=cmd.recipient_ids,
                    event_id=cmd.event_id,
                )
            ]
        )
