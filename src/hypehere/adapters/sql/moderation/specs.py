"""SQL specification notes (PostgreSQL and SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.moderation.tables import SpecRow
from hypehere.application.moderation.audit_trail import parse_time_cursor
from hypehere.domain.moderation.specs import Spec, SpecStatus
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows

specs_t = SpecRow.__table__  # type: ignore[attr-defined]


def _from_domain(s: Spec) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "body": s.body,
        "category": s.category,
        "status": s.status.value,
        "created_by": s.created_by,
        "created_at": s.created_at,
        "updated_by": s.updated_by,
        "updated_at": s.updated_at,
    }


def _to_domain(row: Any) -> Spec:
    return Spec(
        id=row.id,
        title=row.title,
        body=row.body,
        category=row.category,
        status=SpecStatus(row.status),
        created_by=row.created_by,
        created_at=ensure_utc(row.created_at),
        updated_by=row.updated_by,
        updated_at=ensure_utc(row.updated_at),
    )


class SqlSpecRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, spec: Spec) -> None:
        async with translate_errors():
            await self._session.execute(specs_t.insert().values(**_from_domain(spec)))

    async def get(self, spec_id: str) -> Spec | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(specs_t).where(specs_t.c.id == spec_id))
            ).first()
        return _to_domain(row) if row else None

    async def save(self, spec: Spec) -> None:
        values = _from_domain(spec)
        values.pop("id")
        async with translate_errors():
            await self._session.execute(
                update(specs_t).where(specs_t.c.id == spec.id).values(**values)
            )

    async def list(
        self, status: SpecStatus | None, category: str | None, page: PageRequest
    ) -> Page[Spec]:
        after = parse_time_cursor(page.cursor)
        t = specs_t
        query = select(t)
        if status is not None:
            query = query.where(t.c.status == status.value)
        if category is not None:
            query = query.where(t.c.category == category)
        if after is not None:
            at, spec_id = after
            query = query.where(
                or_(t.c.updated_at < at, and_(t.c.updated_at == at, t.c.id < spec_id))
            )
        query = query.order_by(t.c.updated_at.desc(), t.c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return page_from_rows(
            [_to_domain(r) for r in rows],
            page.limit,
            lambda s: (s.updated_at.isoformat(), s.id),
        )
