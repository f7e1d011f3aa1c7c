"""Typing indicators: broadcast to a conversation or room, never stored."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.frames import TypingFrame
from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher


class SendTypingCommand(msgspec.Struct, frozen=True):
    actor: Actor
    topic: str  # a topic the caller was authorized for when its socket opened
    origin: str | None = None


class SendTyping:
    def __init__(self, publisher: RealtimePublisher) -> None:
        self._publisher = publisher

    async def execute(self, cmd: SendTypingCommand) -> None:
        await self._publisher.publish(
            cmd.topic, TypingFrame(user_id=cmd.actor.user_id), origin=cmd.origin
        )
