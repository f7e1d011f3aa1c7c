"""A correction sent over a conversation's socket (`{"type": "correction", "message_id",
"corrected_text", "note?", "category"}`): the same as `POST /corrections` for that message,
then, once committed, everyone in the conversation gets `{"type": "correction",
"correction": {...}}` (the sender's connections too: there is no separate ack)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.learning.corrections_view import CorrectionView
from hypehere.application.learning.create_correction import (
    CreateCorrection,
    CreateCorrectionCommand,
)


class CorrectionFrame(msgspec.Struct, frozen=True, tag_field="type", tag="correction"):
    correction: CorrectionView


class CorrectMessageCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    conversation_id: str
    topic: str  # the conversation's topic, authorized when the socket opened
    message_id: str
    corrected_text: str
    category: str
    note: str | None = None


class CorrectMessage:
    def __init__(self, create: CreateCorrection, publisher: RealtimePublisher) -> None:
        self._create = create
        self._publisher = publisher

    async def execute(self, cmd: CorrectMessageCommand) -> CorrectionView:
        view = await self._create.execute(
            CreateCorrectionCommand(
                actor=cmd.actor,
                target_type="message",
                target_id=cmd.message_id,
                corrected_text=cmd.corrected_text,
                category=cmd.category,
                note=cmd.note,
                conversation_id=cmd.conversation_id,
            )
        )
        await self._publisher.publish(cmd.topic, CorrectionFrame(correction=view))
        return view
