"""retention-cleanup on SQLite and PostgreSQL: what is old and done goes, in batches; what
is pending, dead-lettered, unread or recent stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.sql.feed.tables import FeedImpressionRow
from hypehere.adapters.sql.notifications.tables import NotificationRow
from hypehere.adapters.sql.outbox.tables import HandledEventRow, OutboxEventRow
from hypehere.adapters.sql.retention import SqlRetentionStore
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.adapters.sql.users.tables import RefreshTokenRow, UserRow
from hypehere.application.common.retention import (
    PruneExpiredRecords,
    PruneExpiredRecordsCommand,
    RetentionPolicy,
)
from hypehere.domain.shared.ids import new_id

# Rows are written now (their ids carry the real time); the job runs "a year later".
NOW = datetime.now(UTC)
LATER = NOW + timedelta(days=365)
OLD = NOW  # more than every retention window before LATER
RECENT = LATER - timedelta(days=1)

outbox = OutboxEventRow.__table__  # type: ignore[attr-defined]
handled = HandledEventRow.__table__  # type: ignore[attr-defined]
impressions = FeedImpressionRow.__table__  # type: ignore[attr-defined]
notifications = NotificationRow.__table__  # type: ignore[attr-defined]
refresh_tokens = RefreshTokenRow.__table__  # type: ignore[attr-defined]


def _token(
    user_id: str, expires_at: datetime, revoked_at: datetime | None = None
) -> dict[str, object]:
    return {
        "id": new_id(),
        "user_id": user_id,
        "family_id": new_id(),
        "token_hash": new_id(),
        "created_at": OLD,
        "expires_at": expires_at,
        "revoked_at": revoked_at,
        "session_started_at": OLD,
    }


def _event(delivered_at: datetime | None, dead_at: datetime | None = None) -> dict[str, object]:
    return {
        "id": new_id(),
        "topic": "test.event",
        "payload": {},
        "occurred_at": OLD,
        "available_at": OLD,
        "delivered_at": delivered_at,
        "dead_at": dead_at,
        "attempts": 1,
    }


def _notification(user_id: str, read_at: datetime | None, updated_at: datetime) -> dict:
    return {
        "id": new_id(),
        "recipient_id": user_id,
        "kind": "like",
        "target_type": "post",
        "target_id": new_id(),
        "dedup_key": new_id(),
        "read_at": read_at,
        "created_at": OLD,
        "updated_at": updated_at,
    }


async def _seed(sql_factory: async_sessionmaker[AsyncSession]) -> dict[str, list[str]]:
    user_id = new_id()
    old_events = [_event(delivered_at=OLD) for _ in range(5)]
    kept_events = [
        _event(delivered_at=None),  # pending
        _event(delivered_at=None, dead_at=OLD),  # dead-lettered: staff look at it
        _event(delivered_at=RECENT),  # delivered within the window
    ]
    old_marks = [
        {"handler": h, "event_id": e["id"], "handled_at": OLD}
        for h in ("notify", "search")
        for e in old_events
    ]
    recent_mark = {"handler": "notify", "event_id": new_id(), "handled_at": RECENT}
    old_impressions = [
        {
            "id": new_id(),
            "user_id": user_id,
            "post_id": new_id(),
            "author_id": new_id(),
            "feed_session_id": "s",
            "position": i,
            "score": 0.5,
            "ranker": "h",
            "shown_at": OLD,
        }
        for i in range(3)
    ]
    recent_impression = {**old_impressions[0], "id": new_id(), "shown_at": RECENT}
    old_read = [_notification(user_id, read_at=OLD, updated_at=OLD) for _ in range(2)]
    kept_notifications = [
        _notification(user_id, read_at=None, updated_at=OLD),  # unread
        _notification(user_id, read_at=OLD, updated_at=RECENT),  # a group that grew lately
    ]
    old_tokens = [
        _token(user_id, expires_at=NOW + timedelta(days=30)),  # expired long ago
        _token(user_id, expires_at=NOW + timedelta(days=30), revoked_at=OLD),  # logged out
        _token(user_id, expires_at=LATER + timedelta(days=30), revoked_at=OLD),
    ]
    kept_tokens = [
        _token(user_id, expires_at=LATER + timedelta(days=10)),  # a live session
        _token(user_id, expires_at=LATER + timedelta(days=10), revoked_at=RECENT),
        _token(user_id, expires_at=RECENT),  # expired within the window
    ]
    async with sql_factory() as session, session.begin():
        session.add(
            UserRow(
                id=user_id,
                email="r@example.com",
                handle="r",
                nickname="R",
                native_language="ko",
                interface_language="en",
                password_hash="!",
                state="active",
                created_at=OLD,
                updated_at=OLD,
            )
        )
        await session.flush()
        await session.execute(insert(outbox), old_events + kept_events)
        await session.execute(insert(handled), [*old_marks, recent_mark])
        await session.execute(insert(impressions), [*old_impressions, recent_impression])
        await session.execute(insert(notifications), old_read + kept_notifications)
        await session.execute(insert(refresh_tokens), old_tokens + kept_tokens)
    return {
        "refresh_tokens": sorted(t["id"] for t in kept_tokens),  # type: ignore[misc]
        "events": sorted(e["id"] for e in kept_events),  # type: ignore[misc]
        "marks": [recent_mark["event_id"]],  # type: ignore[list-item]
        "impressions": [recent_impression["id"]],  # type: ignore[list-item]
        "notifications": sorted(n["id"] for n in kept_notifications),
    }


async def _ids(sql_factory: async_sessionmaker[AsyncSession], column: object) -> list[str]:
    async with sql_factory() as session:
        return sorted(await session.scalars(select(column)))  # type: ignore[call-overload]


async def test_the_job_prunes_old_done_records_in_batches(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    kept = await _seed(sql_factory)
    async with sql_factory() as session:
        use_case = PruneExpiredRecords(
            SqlUnitOfWork(session),
            SqlRetentionStore(session),
            RetentionPolicy(),
            FixedClock(LATER),
        )
        report = await use_case.execute(PruneExpiredRecordsCommand(batch_size=2))  # batches
    assert (report.delivered_events, report.handled_marks) == (5, 10)
    assert (report.impressions, report.read_notifications) == (3, 2)
    assert report.refresh_tokens == 3
    assert await _ids(sql_factory, refresh_tokens.c.id) == kept["refresh_tokens"]
    assert await _ids(sql_factory, outbox.c.id) == kept["events"]
    assert await _ids(sql_factory, handled.c.event_id) == kept["marks"]
    assert await _ids(sql_factory, impressions.c.id) == kept["impressions"]
    assert await _ids(sql_factory, notifications.c.id) == kept["notifications"]


async def test_nothing_is_pruned_inside_the_windows(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    await _seed(sql_factory)
    async with sql_factory() as session:
        report = await PruneExpiredRecords(
            SqlUnitOfWork(session),
            SqlRetentionStore(session),
            RetentionPolicy(),
            FixedClock(NOW + timedelta(days=1)),  # everything is younger than its window
        ).execute(PruneExpiredRecordsCommand())
        assert report == type(report)(0, 0, 0, 0)
        assert await session.scalar(select(func.count()).select_from(outbox)) == 8
