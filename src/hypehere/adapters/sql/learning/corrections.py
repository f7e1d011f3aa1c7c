"""Corrections (SQL) and the texts they correct, read through the owners' published
queries (`feed.queries` for posts and comments, `chat.queries` for messages)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.chat.queries import conversation_members, public_messages
from hypehere.adapters.sql.errors import is_unique_violation, translate_errors
from hypehere.adapters.sql.feed.queries import (
    comment_visible_to,
    post_visible_to,
    public_comments,
    public_posts,
)
from hypehere.adapters.sql.learning.tables import corrections_t
from hypehere.adapters.sql.users.queries import author_visible, public_users
from hypehere.application.learning.list_corrections import correction_cursor, correction_sort_key
from hypehere.application.learning.ports import AcceptedCorrection, CorrectionTargetText
from hypehere.domain.learning.corrections import (
    Correction,
    CorrectionCategory,
    CorrectionTarget,
    Span,
)
from hypehere.domain.learning.errors import CorrectionExistsError
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import (
    Page,
    PageRequest,
    page_from_rows,
)


def _to_domain(row: Any) -> Correction:
    return Correction(
        id=row.id,
        corrector_id=row.corrector_id,
        author_id=row.author_id,
        target_type=CorrectionTarget(row.target_type),
        target_id=row.target_id,
        language=row.language,
        original_text=row.original_text,
        corrected_text=row.corrected_text,
        category=CorrectionCategory(row.category),
        spans=[Span(s["start"], s["end"], s["original"], s["replacement"]) for s in row.spans],
        created_at=ensure_utc(row.created_at),
        note=row.note,
        accepted_at=ensure_utc(row.accepted_at) if row.accepted_at else None,
    )


class SqlCorrectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, correction: Correction) -> None:
        c = correction
        values = {
            "id": c.id,
            "corrector_id": c.corrector_id,
            "author_id": c.author_id,
            "target_type": c.target_type.value,
            "target_id": c.target_id,
            "language": c.language,
            "original_text": c.original_text,
            "corrected_text": c.corrected_text,
            "note": c.note,
            "category": c.category.value,
            "spans": [
                {
                    "start": s.start,
                    "end": s.end,
                    "original": s.original,
                    "replacement": s.replacement,
                }
                for s in c.spans
            ],
            "created_at": c.created_at,
            "accepted_at": c.accepted_at,
        }
        try:
            async with self._session.begin_nested():
                await self._session.execute(corrections_t.insert().values(values))
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise CorrectionExistsError("You already corrected this text") from exc
            raise

    async def get(self, correction_id: str) -> Correction | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(corrections_t).where(corrections_t.c.id == correction_id)
                )
            ).first()
        return _to_domain(row) if row else None

    async def mark_accepted(self, correction: Correction) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(corrections_t)
                .where(corrections_t.c.id == correction.id, corrections_t.c.accepted_at.is_(None))
                .values(accepted_at=correction.accepted_at)
            )
        return bool(getattr(result, "rowcount", 0))

    async def for_target(
        self, target_type: CorrectionTarget, target_id: str, page: PageRequest
    ) -> Page[Correction]:
        c = corrections_t.c
        statement = select(corrections_t).where(
            c.target_type == target_type.value, c.target_id == target_id
        )
        if page.cursor is not None:
            at, id_ = correction_cursor(page.cursor)
            statement = statement.where(
                or_(c.created_at > at, and_(c.created_at == at, c.id > id_))
            )
        statement = statement.order_by(c.created_at, c.id).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(statement)).all()
        return page_from_rows([_to_domain(r) for r in rows], page.limit, correction_sort_key)

    async def received(self, author_id: str, page: PageRequest) -> Page[Correction]:
        c = corrections_t.c
        statement = select(corrections_t).where(c.author_id == author_id)
        if page.cursor is not None:
            at, id_ = correction_cursor(page.cursor)
            statement = statement.where(
                or_(c.created_at < at, and_(c.created_at == at, c.id < id_))
            )
        statement = statement.order_by(c.created_at.desc(), c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(statement)).all()
        return page_from_rows([_to_domain(r) for r in rows], page.limit, correction_sort_key)

    async def accepted_of(self, author_id: str, language: str | None) -> list[AcceptedCorrection]:
        c = corrections_t.c
        statement = select(c.accepted_at, c.category).where(
            c.author_id == author_id, c.accepted_at.is_not(None)
        )
        if language is not None:
            statement = statement.where(c.language == language)
        async with translate_errors():
            rows = (await self._session.execute(statement.order_by(c.accepted_at, c.id))).all()
        return [AcceptedCorrection(ensure_utc(r.accepted_at), r.category) for r in rows]


class SqlCorrectionTargets:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(
        self, target_type: CorrectionTarget, target_id: str, viewer_id: str
    ) -> CorrectionTargetText | None:
        if target_type is CorrectionTarget.POST:
            p = public_posts.c
            statement: Any = (
                select(p.author_id, p.content, p.language)
                .join(public_users, public_users.c.id == p.author_id)
                .where(
                    p.id == target_id,
                    p.removed_at.is_(None),
                    post_visible_to(viewer_id),
                    author_visible(viewer_id, p.author_id, public_users.c.state),
                )
            )
        elif target_type is CorrectionTarget.COMMENT:
            k = public_comments.c
            statement = (
                select(k.author_id, k.content)
                .join(public_users, public_users.c.id == k.author_id)
                .where(
                    k.id == target_id,
                    k.removed_at.is_(None),
                    comment_visible_to(viewer_id),
                    author_visible(viewer_id, k.author_id, public_users.c.state),
                )
            )
        else:
            m = public_messages.c
            member = conversation_members.c
            statement = select(m.sender_id.label("author_id"), m.content, m.conversation_id).where(
                m.id == target_id,
                m.removed_at.is_(None),
                exists().where(
                    member.conversation_id == m.conversation_id, member.user_id == viewer_id
                ),
            )
        async with translate_errors():
            row = (await self._session.execute(statement)).first()
        if row is None:
            return None
        mapping = row._mapping
        return CorrectionTargetText(
            author_id=mapping["author_id"],
            text=mapping["content"],
            language=mapping.get("language"),
            conversation_id=mapping.get("conversation_id"),
        )
