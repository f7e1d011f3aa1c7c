"""SQL audit log (PostgreSQL and SQLite): insert and read, nothing else."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.moderation.tables import AuditEntryRow
from hypehere.application.moderation.audit_trail import audit_sort_key, parse_time_cursor
from hypehere.domain.moderation.audit import AuditEntry, AuditTarget
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows

audit_t = AuditEntryRow.__table__  # type: ignore[attr-defined]


def _to_domain(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        actor_id=row.actor_id,
        action=row.action,
        target_type=AuditTarget(row.target_type),
        target_id=row.target_id,
        reason=row.reason,
        detail=row.detail,
        created_at=ensure_utc(row.created_at),
    )


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, entry: AuditEntry) -> None:
        async with translate_errors():
            await self._session.execute(
                audit_t.insert().values(
                    id=entry.id,
                    actor_id=entry.actor_id,
                    action=entry.action,
                    target_type=entry.target_type.value,
                    target_id=entry.target_id,
                    reason=entry.reason,
                    detail=entry.detail,
                    created_at=entry.created_at,
                )
            )

    async def list(
        self, actor_id: str | None, target_id: str | None, page: PageRequest
    ) -> Page[AuditEntry]:
        after = parse_time_cursor(page.cursor)
        t = audit_t
        query = select(t)
        if actor_id is not None:
            query = query.where(t.c.actor_id == actor_id)
        if target_id is not None:
            query = query.where(t.c.target_id == target_id)
        if after is not None:
            at, entry_id = after
            query = query.where(
                or_(t.c.created_at < at, and_(t.c.created_at == at, t.c.id < entry_id))
            )
        query = query.order_by(t.c.created_at.desc(), t.c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return page_from_rows([_to_domain(r) for r in rows], page.limit, audit_sort_key)
