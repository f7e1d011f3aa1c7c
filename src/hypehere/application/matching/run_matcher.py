"""One matcher run: rounds of `plan_round` over the whole queue until no rerun is asked
for. Each pair becomes an anonymous conversation and both users get `matched`.

Entries whose `/ws/matching` socket has been gone past the grace period are dropped first
(`disconnects.py`), so a user whose socket closed on a process that died is never paired.

If opening the conversations fails (the database is down), the round's pairs are put back
in the queue as they were (`MatchingQueue.restore`: same place in line, not counted as having
met) and the error propagates: nobody silently drops out without a `matched` frame, and the
next run pairs them again.

Exactly one round runs at a time across every process (the queue's lock). A run that finds
the lock taken asks the holder for a rerun and tries once more: the holder checks for
reruns after releasing the lock, so a join that arrives during a round is never left out
until the next join."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import msgspec
import structlog

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import matching_user_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.disconnects import drop_disconnected
from hypehere.application.matching.frames import MatchedFrame
from hypehere.application.matching.ports import (
    AnonymousConversations,
    MatchingLimits,
    MatchingPeers,
    MatchingQueue,
)
from hypehere.application.matching.views import AnonymousPartner, LearnedLanguageOut
from hypehere.domain.matching.conversation import AnonymousConversation, AnonymousParticipant
from hypehere.domain.matching.events import PartnersMatched
from hypehere.domain.matching.model import REPEAT_WINDOW_HOURS, QueueEntry
from hypehere.domain.matching.policy import Exclusions, Pair, plan_round
from hypehere.domain.matching.waiting import language_pair
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)

MAX_ROUNDS_PER_RUN = 20
"""A run ends after this many rounds even if reruns keep being asked for (the next join
or the next run picks up)."""


class RunMatcherCommand(msgspec.Struct, frozen=True):
    pass


class RunMatcherResult(msgspec.Struct, frozen=True):
    conversation_ids: list[str]


def partner_view(participant: AnonymousParticipant) -> AnonymousPartner:
    return AnonymousPartner(
        native_language=participant.native_language,
        target_languages=[
            LearnedLanguageOut(language=t.language, level=t.level.value)
            for t in participant.target_languages
        ],
    )


class RunMatcher:
    def __init__(
        self,
        uow: UnitOfWork,
        queue: MatchingQueue,
        peers: MatchingPeers,
        conversations: AnonymousConversations,
        publisher: RealtimePublisher,
        outbox: OutboxWriter,
        clock: Clock,
        presence: Presence,
        limits: MatchingLimits,
    ) -> None:
        self._uow = uow
        self._queue = queue
        self._peers = peers
        self._conversations = conversations
        self._publisher = publisher
        self._outbox = outbox
        self._clock = clock
        self._presence = presence
        self._limits = limits

    async def execute(self, cmd: RunMatcherCommand) -> RunMatcherResult:
        made: list[str] = []
        dropped = await drop_disconnected(
            self._queue, self._presence, self._clock.now(), self._limits.socket_grace_seconds
        )
        if dropped:
            logger.info("matching_disconnected_dropped", users=len(dropped))
        for _ in range(MAX_ROUNDS_PER_RUN):
            pairs = await self._queue.run_round(self._plan, self._clock.now())
            if pairs is None:
                await self._queue.request_round()
                pairs = await self._queue.run_round(self._plan, self._clock.now())
                if pairs is None:
                    break  # the round running now reruns for us
            made.extend(await self._open_conversations(pairs))
            if not await self._queue.take_round_request():
                break
        return RunMatcherResult(conversation_ids=made)

    async def _plan(self, entries: list[QueueEntry]) -> list[Pair]:
        if len(entries) < 2:
            return []
        now = self._clock.now()
        user_ids = [e.user_id for e in entries]
        async with self._uow:
            read = await self._peers.exclusions(user_ids)
        recent = await self._queue.recent_partners(
            user_ids, now - timedelta(hours=REPEAT_WINDOW_HOURS)
        )
        exclusions = Exclusions(blocked=read.blocked, recent=recent, barred=read.barred)
        return plan_round(entries, exclusions, now)

    async def _open_conversations(self, pairs: list[Pair]) -> list[str]:
        if not pairs:
            return []
        now = self._clock.now()
        opened = [AnonymousConversation.open(new_id(), pair, now) for pair in pairs]
        try:
            async with self._uow:
                for conversation, pair in zip(opened, pairs, strict=True):
                    await self._conversations.add(conversation)
                    await self._outbox.add(PartnersMatched.of(conversation.id, pair, now))
                for conversation in opened:
                    self._uow.after_commit(self._announcer(conversation))
        except BaseException:
            await self._queue.restore(pairs)
            logger.warning("matching_open_failed_requeued", pairs=len(pairs))
            raise
        finally:
            await self._queue.release_matched(u for pair in pairs for u in pair.user_ids)
        for pair in pairs:
            for entry in (pair.chooser, pair.partner):
                await self._queue.record_wait(language_pair(entry), entry.waited_seconds(now))
        logger.info("matching_round", pairs=len(pairs))
        return [c.id for c in opened]

    def _announcer(self, conversation: AnonymousConversation) -> Callable[[], Awaitable[None]]:
        async def announce() -> None:
            for participant in conversation.participants:
                partner = conversation.partner_of(participant.user_id)
                frame = MatchedFrame(conversation_id=conversation.id, partner=partner_view(partner))
                await self._publisher.publish(matching_user_topic(participant.user_id), frame)

        return announce
