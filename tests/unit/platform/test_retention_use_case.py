"""PruneExpiredRecords with a fake store: each kind gets its own cut-off and is drained
in batches (one transaction each) until a batch comes back short."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.common.retention import (
    PruneExpiredRecords,
    PruneExpiredRecordsCommand,
    RetentionPolicy,
)

NOW = datetime(2026, 12, 1, tzinfo=UTC)


class FakeStore:
    def __init__(self, rows: dict[str, int]) -> None:
        self.rows = rows
        self.cutoffs: dict[str, set[datetime]] = {}

    def _take(self, kind: str, before: datetime, limit: int) -> int:
        self.cutoffs.setdefault(kind, set()).add(before)
        taken = min(self.rows[kind], limit)
        self.rows[kind] -= taken
        return taken

    async def prune_delivered_events(self, before: datetime, limit: int) -> int:
        return self._take("events", before, limit)

    async def prune_handled_marks(self, before: datetime, limit: int) -> int:
        return self._take("marks", before, limit)

    async def prune_impressions(self, before: datetime, limit: int) -> int:
        return self._take("impressions", before, limit)

    async def prune_read_notifications(self, before: datetime, limit: int) -> int:
        return self._take("notifications", before, limit)

    async def prune_refresh_tokens(self, before: datetime, limit: int) -> int:
        return self._take("refresh_tokens", before, limit)

    async def prune_activity_events(self, before: datetime, limit: int) -> int:
        return self._take("activity_events", before, limit)


async def test_each_kind_is_drained_in_batches_with_its_own_cutoff() -> None:
    store = FakeStore(
        {
            "events": 7,
            "marks": 3,
            "impressions": 0,
            "notifications": 6,
            "refresh_tokens": 4,
            "activity_events": 5,
        }
    )
    uow = InMemoryUnitOfWork()
    policy = RetentionPolicy(
        delivered_events_days=7,
        impressions_days=30,
        read_notifications_days=90,
        refresh_tokens_days=2,
        activity_events_days=60,
    )
    report = await PruneExpiredRecords(uow, store, policy, FixedClock(NOW)).execute(
        PruneExpiredRecordsCommand(batch_size=3)
    )
    assert (report.delivered_events, report.handled_marks) == (7, 3)
    assert (report.impressions, report.read_notifications) == (0, 6)
    assert (report.refresh_tokens, report.activity_events) == (4, 5)
    assert set(store.rows.values()) == {0}
    # events 3+3+1, marks 3+0, impressions 0, notifications 3+3+0, refresh tokens 3+1: one
    # transaction per batch, activity events 3+2
    assert uow.commits == 3 + 2 + 1 + 3 + 2 + 2
    assert store.cutoffs == {
        "events": {NOW - timedelta(days=7)},
        "marks": {NOW - timedelta(days=7)},
        "impressions": {NOW - timedelta(days=30)},
        "notifications": {NOW - timedelta(days=90)},
        "refresh_tokens": {NOW - timedelta(days=2)},
        "activity_events": {NOW - timedelta(days=60)},
    }
