"""The dispatcher's side of the outbox table: claim due events, record the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.outbox.tables import HandledEventRow, OutboxEventRow
from hypehere.application.common.outbox import OutboxMessage
from hypehere.domain.shared.clock import ensure_utc

_outbox: Table = OutboxEventRow.__table__  # type: ignore[attr-defined]
_handled: Table = HandledEventRow.__table__  # type: ignore[attr-defined]
IN_CHUNK = 500  # ids per IN (...) list


class SqlOutboxStore:
    """Each call is its own short transaction (the store is not part of a request).

    Claiming leases the rows by moving `available_at` past the lease: a dispatcher that dies
    mid-delivery leaves the event to be claimed again when the lease ends. That
    `available_at` is also the claim's token: `start` renews a lease (and counts the
    attempt) only where it is still the value this dispatcher set, so an event whose lease
    ran out and was claimed by another dispatcher is not run twice. On PostgreSQL the
    claim locks with `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take disjoint
    batches; SQLite serializes writers (`BEGIN IMMEDIATE`) and the clause is not rendered."""

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, lease_seconds: float = 60.0
    ) -> None:
        self._session_factory = session_factory
        self._lease = timedelta(seconds=lease_seconds)

    async def fetch_pending(self, limit: int, now: datetime) -> Sequence[OutboxMessage]:
        query = (
            select(
                _outbox.c.id,
                _outbox.c.topic,
                _outbox.c.payload,
                _outbox.c.occurred_at,
                _outbox.c.attempts,
            )
            .where(
                _outbox.c.delivered_at.is_(None),
                _outbox.c.dead_at.is_(None),
                _outbox.c.available_at <= now,
            )
            .order_by(_outbox.c.available_at, _outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with translate_errors(), self._session_factory() as session, session.begin():
            rows = (await session.execute(query)).all()
            if not rows:
                return []
            lease_until = now + self._lease
            await session.execute(
                update(_outbox)
                .where(_outbox.c.id.in_([row.id for row in rows]))
                .values(available_at=lease_until)
            )
        return [
            OutboxMessage(
                id=row.id,
                topic=row.topic,
                payload=row.payload,
                occurred_at=ensure_utc(row.occurred_at),
                attempts=row.attempts,
                lease_until=lease_until,
            )
            for row in rows
        ]

    async def start(
        self, messages: Sequence[OutboxMessage], now: datetime, *, count_attempt: bool = True
    ) -> Sequence[OutboxMessage]:
        by_token: dict[datetime, list[str]] = {}
        for message in messages:
            if message.lease_until is not None:
                by_token.setdefault(message.lease_until, []).append(message.id)
        if not by_token:
            return []
        lease_until = now + self._lease
        attempts: dict[str, int] = {}
        async with translate_errors(), self._session_factory() as session, session.begin():
            for token, ids in by_token.items():
                for start in range(0, len(ids), IN_CHUNK):
                    rows = await session.execute(
                        update(_outbox)
                        .where(
                            _outbox.c.id.in_(ids[start : start + IN_CHUNK]),
                            _outbox.c.available_at == token,
                            _outbox.c.delivered_at.is_(None),
                            _outbox.c.dead_at.is_(None),
                        )
                        .values(
                            available_at=lease_until,
                            attempts=_outbox.c.attempts + (1 if count_attempt else 0),
                        )
                        .returning(_outbox.c.id, _outbox.c.attempts)
                    )
                    attempts.update({row.id: row.attempts for row in rows})
        return [
            msgspec.structs.replace(m, attempts=attempts[m.id], lease_until=lease_until)
            for m in messages
            if m.id in attempts
        ]

    async def mark_delivered(self, event_id: str, now: datetime) -> None:
        await self._update(event_id, delivered_at=now, last_error=None)

    async def mark_delivered_many(self, event_ids: Sequence[str], now: datetime) -> None:
        if not event_ids:
            return
        async with translate_errors(), self._session_factory() as session, session.begin():
            for start in range(0, len(event_ids), IN_CHUNK):
                chunk = list(event_ids[start : start + IN_CHUNK])
                await session.execute(
                    update(_outbox)
                    .where(_outbox.c.id.in_(chunk))
                    .values(delivered_at=now, last_error=None)
                )

    async def mark_failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        await self._update(event_id, available_at=retry_at, last_error=error)

    async def mark_dead(self, event_id: str, error: str, now: datetime) -> None:
        await self._update(event_id, dead_at=now, last_error=error)

    async def _update(self, event_id: str, **values: object) -> None:
        async with translate_errors(), self._session_factory() as session, session.begin():
            await session.execute(update(_outbox).where(_outbox.c.id == event_id).values(**values))


class SqlHandledEvents:
    """The idempotency ledger, written in the request's transaction (with the handler's
    effect). A concurrent second delivery fails on the primary key and rolls back."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def is_handled(self, handler: str, event_id: str) -> bool:
        async with translate_errors():
            found = await self._session.scalar(
                select(_handled.c.event_id).where(
                    _handled.c.handler == handler, _handled.c.event_id == event_id
                )
            )
        return found is not None

    async def mark_handled(self, handler: str, event_id: str, now: datetime) -> None:
        async with translate_errors():
            await self._session.execute(
                _handled.insert().values(handler=handler, event_id=event_id, handled_at=now)
            )

    async def handled_among(self, handler: str, event_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        async with translate_errors():
            for start in range(0, len(event_ids), IN_CHUNK):
                rows = await self._session.execute(
                    select(_handled.c.event_id).where(
                        _handled.c.handler == handler,
                        _handled.c.event_id.in_(list(event_ids[start : start + IN_CHUNK])),
                    )
                )
                found.update(rows.scalars())
        return found

    async def mark_handled_many(
        self, handler: str, event_ids: Sequence[str], now: datetime
    ) -> None:
        if not event_ids:
            return
        async with translate_errors():
            await self._session.execute(
                _handled.insert(),
                [{"handler": handler, "event_id": e, "handled_at": now} for e in event_ids],
            )
