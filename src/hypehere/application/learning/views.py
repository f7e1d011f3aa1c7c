"""What the learning use cases return: content rendered for one learner (texts in their
native language, expressions in their target language) with their progress."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import msgspec

from hypehere.application.learning.ports import Learner
from hypehere.domain.learning.model import LessonProgress, ProgressStatus, localized


class ProgressView(msgspec.Struct, frozen=True):
    """`status`: not_started | started | completed; `score` is the best score (0..100)."""

    status: str
    score: int | None
    seconds_spent: int
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def of(cls, progress: LessonProgress | None) -> ProgressView:
        if progress is None:
            return cls(
                status=ProgressStatus.NOT_STARTED.value,
                score=None,
                seconds_spent=0,
                started_at=None,
                completed_at=None,
            )
        return cls(
            status=progress.status.value,
            score=progress.score,
            seconds_spent=progress.seconds_spent,
            started_at=progress.started_at,
            completed_at=progress.completed_at,
        )


class Reader(msgspec.Struct, frozen=True):
    """The languages to write explanations in: the learner's native language when the
    content has it, else the request's language (interface language / Accept-Language),
    else English."""

    languages: tuple[str, ...]

    @classmethod
    def of(cls, learner: Learner | None, fallback_language: str) -> Reader:
        first = (learner.native_language,) if learner else ()
        return cls(languages=(*first, fallback_language, "en"))

    def text(self, texts: Mapping[str, str]) -> str:
        return localized(texts, *self.languages) or next(iter(texts.values()), "")

    def language_of(self, texts: Mapping[str, str]) -> str:
        for language in self.languages:
            if texts.get(language):
                return language
        return next(iter(texts), self.languages[0])
