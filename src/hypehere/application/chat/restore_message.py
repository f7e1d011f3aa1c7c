"""Staff: undo a moderation removal of a direct message (an appeal was overturned). A
delivered one shows its text again in the history (no frame: clients see it when they next
read the history). A held one that was rejected is released now, as an approval would
(`ReleaseMessage`: a block made meanwhile still withholds it)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.ports import ConversationRepository, HeldMessages
from hypehere.application.chat.release_message import ReleaseMessage, ReleaseMessageCommand
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.model import Message

logger = structlog.get_logger(__name__)


class RestoreMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class RestoreMessage:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: ConversationRepository,
        held: HeldMessages[Message],
        release: ReleaseMessage,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._held = held
        self._release = release

    async def execute(self, cmd: RestoreMessageCommand) -> Changed:
        require_staff(cmd.actor)
        async with self._uow:
            if await self._held.unreject(cmd.message_id):
                await self._release.execute(ReleaseMessageCommand(cmd.actor, cmd.message_id))
                changed = True
            else:
                changed = await self._conversations.restore_message(cmd.message_id)
        logger.info("message_restored", message_id=cmd.message_id, changed=changed)
        return Changed(changed)
