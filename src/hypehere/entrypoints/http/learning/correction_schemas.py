"""Request and response bodies of `/corrections` and `/learning/errors`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.learning.corrections_view import CorrectionView
from hypehere.application.learning.get_error_profile import ErrorProfile
from hypehere.entrypoints.http.learning.schemas import CardOut


class CorrectionIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    target_type: Annotated[str, msgspec.Meta(max_length=16)]
    target_id: Annotated[str, msgspec.Meta(max_length=64)]
    corrected_text: Annotated[str, msgspec.Meta(max_length=5000)]
    category: Annotated[str, msgspec.Meta(max_length=16)]
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class SpanOut(msgspec.Struct, frozen=True):
    """`start`/`end`: code point offsets into `original_text`."""

    start: int
    end: int
    original: str
    replacement: str


class CorrectionOut(msgspec.Struct, frozen=True):
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
    spans: list[SpanOut]
    created_at: datetime
    accepted_at: datetime | None

    @classmethod
    def of(cls, v: CorrectionView) -> CorrectionOut:
        return cls(
            id=v.id,
            corrector_id=v.corrector_id,
            author_id=v.author_id,
            target_type=v.target_type,
            target_id=v.target_id,
            language=v.language,
            original_text=v.original_text,
            corrected_text=v.corrected_text,
            note=v.note,
            category=v.category,
            spans=[SpanOut(s.start, s.end, s.original, s.replacement) for s in v.spans],
            created_at=v.created_at,
            accepted_at=v.accepted_at,
        )


class CorrectionPageOut(msgspec.Struct, frozen=True):
    items: list[CorrectionOut]
    next_cursor: str | None


class AcceptedOut(msgspec.Struct, frozen=True):
    """The accepted correction and the review card it became."""

    correction: CorrectionOut
    card: CardOut


class WeekErrorsOut(msgspec.Struct, frozen=True):
    week: str
    counts: dict[str, int]
    total: int


class ErrorProfileOut(msgspec.Struct, frozen=True):
    language: str | None
    weeks: list[WeekErrorsOut]

    @classmethod
    def of(cls, p: ErrorProfile) -> ErrorProfileOut:
        return cls(
            language=p.language,
            weeks=[WeekErrorsOut(w.week, w.counts, w.total) for w in p.weeks],
        )
