"""SQL strikes and appeals (PostgreSQL and SQLite)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.moderation.tables import StrikeRow
from hypehere.application.moderation.audit_trail import parse_time_cursor
from hypehere.application.moderation.list_appeals import appeal_sort_key
from hypehere.domain.moderation.strikes import Appeal, AppealStatus, Strike, StrikeAction
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows

strikes_t = StrikeRow.__table__  # type: ignore[attr-defined]


def _from_domain(s: Strike) -> dict[str, Any]:
    a = s.appeal
    return {
        "id": s.id,
        "user_id": s.user_id,
        "action": s.action.value,
        "reason": s.reason,
        "excerpt": s.excerpt,
        "issued_by": s.issued_by,
        "created_at": s.created_at,
        "content_type": s.content_type,
        "content_id": s.content_id,
        "report_id": s.report_id,
        "appeal_id": a.id if a else None,
        "appeal_text": a.text if a else None,
        "appeal_status": a.status.value if a else None,
        "appeal_created_at": a.created_at if a else None,
        "appeal_decided_by": a.decided_by if a else None,
        "appeal_decided_at": a.decided_at if a else None,
        "appeal_note": a.note if a else None,
    }


def _to_domain(row: Any) -> Strike:
    appeal = None
    if row.appeal_id is not None:
        appeal = Appeal(
            id=row.appeal_id,
            text=row.appeal_text or "",
            created_at=ensure_utc(row.appeal_created_at),
            status=AppealStatus(row.appeal_status),
            decided_by=row.appeal_decided_by,
            decided_at=ensure_utc(row.appeal_decided_at) if row.appeal_decided_at else None,
            note=row.appeal_note,
        )
    return Strike(
        id=row.id,
        user_id=row.user_id,
        action=StrikeAction(row.action),
        reason=row.reason,
        excerpt=row.excerpt,
        issued_by=row.issued_by,
        created_at=ensure_utc(row.created_at),
        content_type=row.content_type,
        content_id=row.content_id,
        report_id=row.report_id,
        appeal=appeal,
    )


class SqlStrikeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _one(self, condition: Any) -> Strike | None:
        async with translate_errors():
            row = (await self._session.execute(select(strikes_t).where(condition))).first()
        return _to_domain(row) if row else None

    async def add(self, strike: Strike) -> None:
        async with translate_errors():
            await self._session.execute(strikes_t.insert().values(**_from_domain(strike)))

    async def get(self, strike_id: str) -> Strike | None:
        return await self._one(strikes_t.c.id == strike_id)

    async def save(self, strike: Strike) -> None:
        values = _from_domain(strike)
        values.pop("id")
        async with translate_errors():
            await self._session.execute(
                update(strikes_t).where(strikes_t.c.id == strike.id).values(**values)
            )

    async def for_user(self, user_id: str) -> Sequence[Strike]:
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(strikes_t)
                    .where(strikes_t.c.user_id == user_id)
                    .order_by(strikes_t.c.created_at.desc(), strikes_t.c.id.desc())
                )
            ).all()
        return [_to_domain(r) for r in rows]

    async def by_appeal(self, appeal_id: str) -> Strike | None:
        return await self._one(strikes_t.c.appeal_id == appeal_id)

    async def appeals(self, status: AppealStatus, page: PageRequest) -> Page[Strike]:
        after = parse_time_cursor(page.cursor)
        t = strikes_t
        query = select(t).where(t.c.appeal_status == status.value)
        if after is not None:
            at, appeal_id = after
            query = query.where(
                or_(
                    t.c.appeal_created_at > at,
                    and_(t.c.appeal_created_at == at, t.c.appeal_id > appeal_id),
                )
            )
        query = query.order_by(t.c.appeal_created_at, t.c.appeal_id).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return page_from_rows([_to_domain(r) for r in rows], page.limit, appeal_sort_key)
