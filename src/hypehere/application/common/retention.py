"""retention-cleanup: delete records that have served their purpose, in small batches.

Without it the write-heavy tables only grow: every chat message leaves an outbox event and
a handled-event mark, every feed page 20 impressions. Each kind has its own age limit; a
batch is one short transaction, so the job never holds locks for long and can stop anywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)

BATCH_SIZE = 5000


class RetentionStore(Protocol):
    """Each method deletes at most `limit` matching rows created before `before` and
    returns how many it deleted."""

    async def prune_delivered_events(self, before: datetime, limit: int) -> int:
        """Outbox events delivered before `before` (pending and dead-lettered ones stay)."""
        ...

    async def prune_handled_marks(self, before: datetime, limit: int) -> int:
        """Handlers' "already handled" marks made before `before` (their events are gone or
        delivered long ago, so they cannot come again)."""
        ...

    async def prune_impressions(self, before: datetime, limit: int) -> int:
        """Feed impressions shown before `before` (training data older than the window)."""
        ...

    async def prune_read_notifications(self, before: datetime, limit: int) -> int:
        """Notifications read and last updated before `before` (unread ones stay)."""
        ...

    async def prune_refresh_tokens(self, before: datetime, limit: int) -> int:
        """Refresh tokens that expired, or were revoked, before `before` (a session that
        outlived its absolute lifetime has only expired tokens). Live sessions' rows stay,
        rotated ones too (they detect a replayed token until they expire)."""
        ...

    async def prune_activity_events(self, before: datetime, limit: int) -> int:
        """Analytics activity-log events that occurred before `before` (the daily
        aggregates computed from them stay)."""
        ...


class RetentionPolicy(msgspec.Struct, frozen=True):
    """Days each kind of record is kept."""

    delivered_events_days: int = 7
    impressions_days: int = 180
    read_notifications_days: int = 90
    # Longer than an access token lives: a revoked session's rows refuse its access tokens.
    refresh_tokens_days: int = 7
    # Longer than the widest window the rollup reads (30 days: monthly actives, day-30
    # retention), so a backfill of the last weeks still finds its events.
    activity_events_days: int = 90


class PruneExpiredRecordsCommand(msgspec.Struct, frozen=True, kw_only=True):
    batch_size: int = BATCH_SIZE  # rows per transaction


class PruneExpiredRecordsResult(msgspec.Struct, frozen=True):
    delivered_events: int
    handled_marks: int
    impressions: int
    read_notifications: int
    refresh_tokens: int = 0
    activity_events: int = 0


class PruneExpiredRecords:
    def __init__(
        self,
        uow: UnitOfWork,
        store: RetentionStore,
        policy: RetentionPolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._store = store
        self._policy = policy
        self._clock = clock

    async def execute(self, cmd: PruneExpiredRecordsCommand) -> PruneExpiredRecordsResult:
        now = self._clock.now()
        events_before = now - timedelta(days=self._policy.delivered_events_days)
        batch = cmd.batch_size
        store = self._store
        report = PruneExpiredRecordsResult(
            delivered_events=await self._drain(store.prune_delivered_events, events_before, batch),
            handled_marks=await self._drain(store.prune_handled_marks, events_before, batch),
            impressions=await self._drain(
                store.prune_impressions,
                now - timedelta(days=self._policy.impressions_days),
                batch,
            ),
            read_notifications=await self._drain(
                store.prune_read_notifications,
                now - timedelta(days=self._policy.read_notifications_days),
                batch,
            ),
            refresh_tokens=await self._drain(
                store.prune_refresh_tokens,
                now - timedelta(days=self._policy.refresh_tokens_days),
                batch,
            ),
            activity_events=await self._drain(
                store.prune_activity_events,
                now - timedelta(days=self._policy.activity_events_days),
                batch,
            ),
        )
        logger.info("retention_pruned", **msgspec.structs.asdict(report))
        return report

    async def _drain(self, prune: _Prune, before: datetime, batch: int) -> int:
        total = 0
        while True:
            async with self._uow:
                deleted = await prune(before, batch)
            total += deleted
            if deleted < batch:
                return total


class _Prune(Protocol):
    async def __call__(self, before: datetime, limit: int) -> int: ...
