"""A correction as every corrections use case returns it."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.domain.learning.corrections import Correction
from hypehere.domain.shared.pagination import Page


class SpanView(msgspec.Struct, frozen=True):
    """`start`/`end`: code point offsets into `original_text`."""

    start: int
    end: int
    original: str
    replacement: str


class CorrectionView(msgspec.Struct, frozen=True):
    id: str
    corrector_id: str
    author_id: str
    target_type: str
    target_id: str
    language: str
    original_text: str
    corrected_text: str
    note: str | None
    category: str
    spans: list[SpanView]
    created_at: datetime
    accepted_at: datetime | None

    @classmethod
    def of(cls, c: Correction) -> CorrectionView:
        return cls(
            id=c.id,
            corrector_id=c.corrector_id,
            author_id=c.author_id,
            target_type=c.target_type.value,
            target_id=c.target_id,
            language=c.language,
            original_text=c.original_text,
            corrected_text=c.corrected_text,
            note=c.note,
            category=c.category.value,
            spans=[SpanView(s.start, s.end, s.original, s.replacement) for s in c.spans],
            created_at=c.created_at,
            accepted_at=c.accepted_at,
        )


class CorrectionPage(msgspec.Struct, frozen=True):
    items: list[CorrectionView]
    next_cursor: str | None

    @classmethod
    def of(cls, page: Page[Correction]) -> CorrectionPage:
        return cls(items=[CorrectionView.of(c) for c in page.items], next_cursor=page.next_cursor)
