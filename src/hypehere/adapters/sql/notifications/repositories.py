"""SQL storage of the notifications module (PostgreSQL and SQLite): notifications with
their grouping, unread counters and per-user settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.notifications.common import (
    ACTOR_COLUMNS,
    chunks,
    counters_t,
    group_actors_t,
    notifications_t,
    settings_t,
)
from hypehere.domain.notifications.model import (
    MAX_ACTORS,
    Notification,
    NotificationKind,
    NotificationSettings,
    Target,
    TargetType,
)
from hypehere.domain.shared.clock import ensure_utc


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _actor_columns(actor_ids: Sequence[str]) -> dict[str, str | None]:
    padded = [*actor_ids[:MAX_ACTORS], *[None] * (MAX_ACTORS - len(actor_ids[:MAX_ACTORS]))]
    return dict(zip(ACTOR_COLUMNS, padded, strict=True))


def _from_domain(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "recipient_id": n.recipient_id,
        "kind": n.kind.value,
        "target_type": n.target.type.value,
        "target_id": n.target.id,
        "target_parent_id": n.target.parent_id,
        **_actor_columns(n.actor_ids),
        "actor_count": n.actor_count,
        "group_key": n.group_key,
        "dedup_key": n.dedup_key,
        "read_at": n.read_at,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


def _to_domain(row: Any) -> Notification:
    return Notification(
        id=row.id,
        recipient_id=row.recipient_id,
        kind=NotificationKind(row.kind),
        target=Target(TargetType(row.target_type), row.target_id, row.target_parent_id),
        actor_ids=[a for a in (row.actor_1_id, row.actor_2_id, row.actor_3_id) if a],
        actor_count=row.actor_count,
        group_key=row.group_key,
        dedup_key=row.dedup_key,
        created_at=ensure_utc(row.created_at),
        updated_at=ensure_utc(row.updated_at),
        read_at=ensure_utc(row.read_at) if row.read_at is not None else None,
    )


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, notification: Notification) -> None:
        await self.add_many([notification])

    async def add_many(self, notifications: Sequence[Notification]) -> None:
        if not notifications:
            return
        members = [
            {"notification_id": n.id, "actor_id": a, "added_at": n.created_at}
            for n in notifications
            if n.group_key is not None
            for a in n.actor_ids
        ]
        added: dict[str, int] = {}
        for n in notifications:
            if n.read_at is None:
                added[n.recipient_id] = added.get(n.recipient_id, 0) + 1
        async with translate_errors():
            await self._session.execute(
                notifications_t.insert(), [_from_domain(n) for n in notifications]
            )
            if members:
                await self._session.execute(group_actors_t.insert(), members)
            await self._add_unread(added)

    async def _add_unread(self, added: dict[str, int]) -> None:
        """Raise the unread counters by `added`, in one statement with the rows in user-id
        order: concurrent transactions lock the counters in the same order, so they queue
        instead of deadlocking."""
        rows = [{"user_id": u, "unread": n} for u, n in sorted(added.items()) if n > 0]
        if not rows:
            return
        stmt = _insert(self._session, counters_t).values(rows)
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=["user_id"],
                set_={"unread": counters_t.c.unread + stmt.excluded.unread},
            )
        )

    async def _remove_unread(self, user_id: str, removed: int) -> None:
        if removed <= 0:
            return
        unread = counters_t.c.unread
        await self._session.execute(
            update(counters_t)
            .where(counters_t.c.user_id == user_id)
            .values(unread=case((unread > removed, unread - removed), else_=0))
        )

    async def dedup_keys_present(self, recipient_ids: Sequence[str], dedup_key: str) -> set[str]:
        found: set[str] = set()
        async with translate_errors():
            for chunk in chunks(recipient_ids):
                rows = await self._session.execute(
                    select(notifications_t.c.recipient_id).where(
                        notifications_t.c.dedup_key == dedup_key,
                        notifications_t.c.recipient_id.in_(chunk),
                    )
                )
                found.update(rows.scalars())
        return found

    async def dedup_pairs_present(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        wanted = set(pairs)
        recipients = list(dict.fromkeys(r for r, _ in pairs))
        keys = list(dict.fromkeys(k for _, k in pairs))
        found: set[tuple[str, str]] = set()
        async with translate_errors():
            for recipient_chunk in chunks(recipients):
                for key_chunk in chunks(keys):
                    rows = await self._session.execute(
                        select(notifications_t.c.recipient_id, notifications_t.c.dedup_key).where(
                            notifications_t.c.recipient_id.in_(recipient_chunk),
                            notifications_t.c.dedup_key.in_(key_chunk),
                        )
                    )
                    found.update(pair for pair in rows.tuples() if pair in wanted)
        return found

    async def open_group(
        self, recipient_id: str, group_key: str, since: datetime
    ) -> Notification | None:
        if self._session.get_bind().dialect.name == "postgresql":
            # Serialize grouping per (recipient, group) until the transaction ends, so two
            # concurrent likes join one notification instead of each creating one. (SQLite
            # transactions are already serialized by BEGIN IMMEDIATE.)
            async with translate_errors():
                await self._session.execute(
                    select(
                        func.pg_advisory_xact_lock(
                            func.hashtextextended(
                                f"notification-group:{recipient_id}:{group_key}", 0
                            )
                        )
                    )
                )
        query = (
            select(notifications_t)
            .where(
                notifications_t.c.recipient_id == recipient_id,
                notifications_t.c.group_key == group_key,
                notifications_t.c.read_at.is_(None),
                notifications_t.c.created_at >= since,
            )
            .order_by(notifications_t.c.created_at.desc(), notifications_t.c.id.desc())
            .limit(1)
        )
        async with translate_errors():
            row = (await self._session.execute(query)).first()
        return _to_domain(row) if row is not None else None

    async def add_group_actor(self, notification_id: str, actor_id: str, now: datetime) -> bool:
        stmt = (
            _insert(self._session, group_actors_t)
            .values(notification_id=notification_id, actor_id=actor_id, added_at=now)
            .on_conflict_do_nothing(index_elements=["notification_id", "actor_id"])
        )
        async with translate_errors():
            result = await self._session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def save_group(self, notification: Notification) -> None:
        async with translate_errors():
            await self._session.execute(
                update(notifications_t)
                .where(notifications_t.c.id == notification.id)
                .values(
                    **_actor_columns(notification.actor_ids),
                    actor_count=notification.actor_count,
                    updated_at=notification.updated_at,
                )
            )

    async def forget_actor(self, recipient_id: str, actor_id: str) -> int:
        n, ga = notifications_t, group_actors_t
        async with translate_errors():
            deleted = await self._session.execute(
                delete(n)
                .where(
                    n.c.recipient_id == recipient_id,
                    n.c.group_key.is_(None),
                    n.c.actor_1_id == actor_id,
                )
                .returning(n.c.read_at)
            )
            gone = deleted.scalars().all()
            changed = len(gone)
            unread_gone = sum(1 for read_at in gone if read_at is None)
            groups = (
                (
                    await self._session.execute(
                        select(ga.c.notification_id)
                        .join(n, n.c.id == ga.c.notification_id)
                        .where(n.c.recipient_id == recipient_id, ga.c.actor_id == actor_id)
                    )
                )
                .scalars()
                .all()
            )
            for notification_id in groups:
                changed += 1
                await self._session.execute(
                    delete(ga).where(
                        ga.c.notification_id == notification_id, ga.c.actor_id == actor_id
                    )
                )
                count = int(
                    await self._session.scalar(
                        select(func.count()).where(ga.c.notification_id == notification_id)
                    )
                    or 0
                )
                if count == 0:
                    emptied = await self._session.execute(
                        delete(n).where(n.c.id == notification_id).returning(n.c.read_at)
                    )
                    unread_gone += sum(1 for read_at in emptied.scalars() if read_at is None)
                    continue
                latest = (
                    (
                        await self._session.execute(
                            select(ga.c.actor_id)
                            .where(ga.c.notification_id == notification_id)
                            .order_by(ga.c.added_at.desc(), ga.c.actor_id.desc())
                            .limit(MAX_ACTORS)
                        )
                    )
                    .scalars()
                    .all()
                )
                await self._session.execute(
                    update(n)
                    .where(n.c.id == notification_id)
                    .values(**_actor_columns(list(latest)), actor_count=count)
                )
            await self._remove_unread(recipient_id, unread_gone)
        return changed

    async def mark_read(self, recipient_id: str, ids: Sequence[str] | None, now: datetime) -> int:
        base = update(notifications_t).where(
            notifications_t.c.recipient_id == recipient_id, notifications_t.c.read_at.is_(None)
        )
        changed = 0
        async with translate_errors():
            if ids is None:
                result = await self._session.execute(base.values(read_at=now))
                changed = int(result.rowcount)  # type: ignore[attr-defined]
            else:
                for chunk in chunks(ids):
                    result = await self._session.execute(
                        base.where(notifications_t.c.id.in_(chunk)).values(read_at=now)
                    )
                    changed += int(result.rowcount)  # type: ignore[attr-defined]
            await self._remove_unread(recipient_id, changed)
        return changed

    async def unread_counts(self, recipient_ids: Sequence[str]) -> dict[str, int]:
        counts = dict.fromkeys(recipient_ids, 0)
        async with translate_errors():
            for chunk in chunks(recipient_ids):
                rows = await self._session.execute(
                    select(counters_t.c.user_id, counters_t.c.unread).where(
                        counters_t.c.user_id.in_(chunk)
                    )
                )
                for recipient, count in rows.tuples():
                    counts[recipient] = int(count)
        return counts


class SqlNotificationSettings:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: str) -> NotificationSettings:
        return (await self.get_many([user_id]))[user_id]

    async def get_many(self, user_ids: Sequence[str]) -> dict[str, NotificationSettings]:
        stored: dict[str, dict[str, dict[str, bool]]] = {}
        async with translate_errors():
            for chunk in chunks(user_ids):
                rows = await self._session.execute(
                    select(settings_t.c.user_id, settings_t.c.channels).where(
                        settings_t.c.user_id.in_(chunk)
                    )
                )
                stored.update(dict(rows.tuples().all()))
        return {u: NotificationSettings.from_plain(u, stored.get(u, {})) for u in user_ids}

    async def save(self, settings: NotificationSettings, now: datetime) -> None:
        values = {"user_id": settings.user_id, "channels": settings.as_plain(), "updated_at": now}
        stmt = _insert(self._session, settings_t).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"channels": stmt.excluded.channels, "updated_at": stmt.excluded.updated_at},
        )
        async with translate_errors():
            await self._session.execute(stmt)
