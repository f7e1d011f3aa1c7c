"""Matching module wiring: the queue (Redis when configured, else in-process), the
anonymous conversations, the users reader, the background matcher trigger, use cases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import structlog
from dishka import AsyncContainer, Provider, Scope, provide, provide_all
from redis.asyncio import BlockingConnectionPool, Redis
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.matching import InMemoryMatchingQueue
from hypehere.adapters.memory.transcripts import InMemoryAnonymousTranscripts
from hypehere.adapters.redis.matching import RedisMatchingQueue
from hypehere.adapters.redis.transcripts import RedisAnonymousTranscripts
from hypehere.adapters.sql.matching.conversations import SqlAnonymousConversations
from hypehere.adapters.sql.matching.peers import SqlMatchingPeers
from hypehere.application.matching.anonymous_chat import (
    AnnounceDeparture,
    AnswerReveal,
    OpenAnonymousChannel,
    RelaySignal,
)
from hypehere.application.matching.anonymous_messages import (
    CheckFirstAnonymousMessage,
    RecordFirstAnonymousMessage,
    SendAnonymousMessage,
)
from hypehere.application.matching.end_conversations import EndAbandonedConversations, EndOnBlock
from hypehere.application.matching.expire_queue import ExpireQueue
from hypehere.application.matching.get_anonymous_conversation import GetAnonymousConversation
from hypehere.application.matching.get_queue_status import GetQueueStatus
from hypehere.application.matching.join_queue import JoinQueue
from hypehere.application.matching.leave_anonymous_conversation import LeaveAnonymousConversation
from hypehere.application.matching.leave_queue import LeaveQueue
from hypehere.application.matching.locate_anonymous_partner import LocateAnonymousPartner
from hypehere.application.matching.ports import (
    AnonymousConversations,
    MatcherTrigger,
    MatchingLimits,
    MatchingPeers,
    MatchingQueue,
)
from hypehere.application.matching.run_matcher import RunMatcher, RunMatcherCommand
from hypehere.application.matching.track_matching_socket import TrackMatchingSocket
from hypehere.application.matching.transcript_ports import AnonymousTranscripts
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock
from hypehere.entrypoints.ws.matching import GraceTimers

logger = structlog.get_logger(__name__)


class BackgroundMatcher:
    """`MatcherTrigger`: runs `RunMatcher` in a request scope of its own, in the background.
    Pokes that arrive before a scheduled run has started share it; a poke during a run
    schedules another (which asks the running round for a rerun if it is still going)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()

    def poke(self) -> None:
        if self._scheduled:
            return
        self._scheduled = True
        task = asyncio.get_running_loop().create_task(self._run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self) -> None:
        self._scheduled = False
        try:
            async with self._container() as request:
                matcher = await request.get(RunMatcher)
                await matcher.execute(RunMatcherCommand())
        except Exception:
            logger.exception("matcher_run_failed")

    async def aclose(self) -> None:
        tasks = list(self._tasks)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


class MatchingRedis:
    """The matching queue's own Redis client (None in the embedded default)."""

    def __init__(self, client: Redis | None) -> None:
        self.client = client


class MatchingProvider(Provider):
    @provide(scope=Scope.APP)
    async def matching_redis(self, settings: Settings) -> AsyncIterator[MatchingRedis]:
        if settings.redis_url is None:
            yield MatchingRedis(None)
            return
        pool = BlockingConnectionPool.from_url(settings.redis_url, max_connections=32, timeout=5)
        client = Redis(connection_pool=pool)
        try:
            yield MatchingRedis(client)
        finally:
            await client.aclose()

    @provide(scope=Scope.APP)
    def limits(self, settings: Settings) -> MatchingLimits:
        return MatchingLimits(
            max_wait_minutes=settings.matching_max_wait_minutes,
            abandoned_after_minutes=settings.anonymous_abandoned_minutes,
            socket_grace_seconds=settings.matching_socket_grace_seconds,
        )

    @provide(scope=Scope.APP)
    def queue(self, redis: MatchingRedis) -> MatchingQueue:
        if redis.client is None:
            return InMemoryMatchingQueue()
        return RedisMatchingQueue(redis.client)

    @provide(scope=Scope.APP)
    def transcripts(
        self, redis: MatchingRedis, settings: Settings, clock: Clock
    ) -> AnonymousTranscripts:
        ttl = timedelta(hours=settings.anonymous_transcript_hours)
        if redis.client is None:
            return InMemoryAnonymousTranscripts(clock, ttl)
        return RedisAnonymousTranscripts(redis.client, clock, ttl)

    @provide(scope=Scope.REQUEST)
    def anonymous_conversations(self, session: AsyncSession) -> AnonymousConversations:
        return SqlAnonymousConversations(session)

    @provide(scope=Scope.REQUEST)
    def peers(self, session: AsyncSession) -> MatchingPeers:
        return SqlMatchingPeers(session)

    @provide(scope=Scope.APP)
    async def grace_timers(self) -> AsyncIterator[GraceTimers]:
        timers = GraceTimers()
        yield timers
        await timers.aclose()

    @provide(scope=Scope.APP)
    async def trigger(self, container: AsyncContainer) -> AsyncIterator[MatcherTrigger]:
        matcher = BackgroundMatcher(container)
        yield matcher
        await matcher.aclose()

    use_cases = provide_all(
        JoinQueue,
        LeaveQueue,
        GetQueueStatus,
        RunMatcher,
        ExpireQueue,
        TrackMatchingSocket,
        GetAnonymousConversation,
        LeaveAnonymousConversation,
        EndAbandonedConversations,
        EndOnBlock,
        OpenAnonymousChannel,
        AnnounceDeparture,
        CheckFirstAnonymousMessage,
        SendAnonymousMessage,
        RecordFirstAnonymousMessage,
        RelaySignal,
        AnswerReveal,
        LocateAnonymousPartner,
        scope=Scope.REQUEST,
    )
