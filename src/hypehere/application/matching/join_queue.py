"""Queue for a language partner: my profile's languages unless the command overrides them;
a matcher round starts once the entry is in."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.ports import (
    AnonymousConversations,
    JoinOutcome,
    MatcherTrigger,
    MatchingPeers,
    MatchingQueue,
)
from hypehere.application.matching.status import QueueStatus, status_of
from hypehere.domain.matching.conversation import STANDING_WINDOW_DAYS, standing_of
from hypehere.domain.matching.errors import (
    AlreadyQueuedError,
    InConversationError,
    ProfileNotFoundError,
)
from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.languages import CefrLevel, parse_language

DEFAULT_OVERRIDE_LEVEL = CefrLevel.A1
"""The level of a target language given when queueing that my profile does not list."""


class JoinQueueCommand(msgspec.Struct, frozen=True):
    actor: Actor
    mode: ChatMode
    native_language: str | None = None
    target_language: str | None = None


class JoinQueue:
    def __init__(
        self,
        uow: UnitOfWork,
        queue: MatchingQueue,
        peers: MatchingPeers,
        conversations: AnonymousConversations,
        trigger: MatcherTrigger,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._queue = queue
        self._peers = peers
        self._conversations = conversations
        self._trigger = trigger
        self._clock = clock

    async def execute(self, cmd: JoinQueueCommand) -> QueueStatus:
        me = cmd.actor.user_id
        native = (
            parse_language(cmd.native_language, field="native_language")
            if cmd.native_language
            else None
        )
        target = (
            parse_language(cmd.target_language, field="target_language")
            if cmd.target_language
            else None
        )
        async with self._uow:
            profile = await self._peers.profile(me)
            if profile is None:
                raise ProfileNotFoundError("The user was not found.")
            current = await self._conversations.open_for(me)
            if current is not None and current.participant(me).left_at is None:
                # Still in it (a participant who left may queue while the partner stays).
                raise InConversationError("Leave your anonymous conversation first.")
            targets = profile.targets
            if target is not None:
                level = next(
                    (t.level for t in targets if t.language == target), DEFAULT_OVERRIDE_LEVEL
                )
                targets = (LearnedLanguage(target, level),)
            now = self._clock.now()
            history = await self._conversations.ended_for(
                me, now - timedelta(days=STANDING_WINDOW_DAYS)
            )
            entry = QueueEntry(
                user_id=me,
                native_language=native or profile.native_language,
                targets=targets,
                mode=cmd.mode,
                joined_at=now,
                standing=standing_of(me, history),
            )
            outcome = await self._queue.join(entry)
            if outcome is JoinOutcome.ALREADY_QUEUED:
                raise AlreadyQueuedError("You are already waiting for a partner.")
            if outcome is JoinOutcome.BEING_MATCHED:
                raise InConversationError("Leave your anonymous conversation first.")
            self._uow.after_commit(self._poke)
        return await status_of(self._queue, entry)

    async def _poke(self) -> None:
        self._trigger.poke()
