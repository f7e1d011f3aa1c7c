"""SQL scanned items (PostgreSQL and SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.moderation.tables import ScannedItemRow
from hypehere.application.moderation.audit_trail import parse_time_cursor
from hypehere.domain.moderation.verdicts import Category, ReviewStatus, ScannedItem, Verdict
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows

items_t = ScannedItemRow.__table__  # type: ignore[attr-defined]


def _from_domain(i: ScannedItem) -> dict[str, Any]:
    v = i.verdict
    return {
        "id": i.id,
        "content_type": i.content_type,
        "content_id": i.content_id,
        "author_id": i.author_id,
        "excerpt": i.excerpt,
        "category": v.category.value,
        "confidence": v.confidence,
        "reason": v.reason,
        "model": v.model,
        "prompt_version": v.prompt_version,
        "status": i.status.value,
        "created_at": i.created_at,
        "decided_by": i.decided_by,
        "decided_at": i.decided_at,
    }


def _to_domain(row: Any) -> ScannedItem:
    return ScannedItem(
        id=row.id,
        content_type=row.content_type,
        content_id=row.content_id,
        author_id=row.author_id,
        excerpt=row.excerpt,
        verdict=Verdict(
            category=Category(row.category),
            confidence=float(row.confidence),
            reason=row.reason,
            model=row.model,
            prompt_version=row.prompt_version,
        ),
        status=ReviewStatus(row.status),
        created_at=ensure_utc(row.created_at),
        decided_by=row.decided_by,
        decided_at=ensure_utc(row.decided_at) if row.decided_at else None,
    )


class SqlScannedItems:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, item: ScannedItem) -> bool:
        dialect = self._session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(items_t)
        statement = insert.values(**_from_domain(item)).on_conflict_do_nothing(
            index_elements=["content_type", "content_id"]
        )
        async with translate_errors():
            result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def for_content(self, content_type: str, content_id: str) -> ScannedItem | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(items_t).where(
                        items_t.c.content_type == content_type,
                        items_t.c.content_id == content_id,
                    )
                )
            ).first()
        return _to_domain(row) if row else None

    async def get(self, item_id: str) -> ScannedItem | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(items_t).where(items_t.c.id == item_id))
            ).first()
        return _to_domain(row) if row else None

    async def save(self, item: ScannedItem) -> None:
        values = _from_domain(item)
        values.pop("id")
        async with translate_errors():
            await self._session.execute(
                update(items_t).where(items_t.c.id == item.id).values(**values)
            )

    async def by_status(self, status: ReviewStatus, page: PageRequest) -> Page[ScannedItem]:
        after = parse_time_cursor(page.cursor)
        t = items_t
        query = select(t).where(t.c.status == status.value)
        if after is not None:
            at, item_id = after
            query = query.where(
                or_(t.c.created_at > at, and_(t.c.created_at == at, t.c.id > item_id))
            )
        query = query.order_by(t.c.created_at, t.c.id).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return page_from_rows(
            [_to_domain(r) for r in rows],
            page.limit,
            lambda i: (i.created_at.isoformat(), i.id),
        )
