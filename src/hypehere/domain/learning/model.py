"""The learning content: situation categories -> lessons -> expressions.

Texts are kept per language (`{"ko": ..., "en": ...}`); a learner is served the text of
their target language and the notes, titles and meanings in their native language."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hypehere.domain.learning.errors import InvalidProgressError
from hypehere.domain.shared.languages import CefrLevel

Localized = Mapping[str, str]

# Ids are derived from the stable keys, so every deployment gives a lesson the same id and
# loading the curriculum again updates rows instead of duplicating them.
_NAMESPACE = uuid.UUID("6f1d2a64-8f0e-4c55-9a3e-1c8b7d2e4f10")


def content_id(kind: str, key: str) -> str:
    """The id of a category, lesson or expression (`kind`) with this key."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def localized(texts: Localized, *languages: str) -> str | None:
    """The text in the first of `languages` that has one, else None."""
    for language in languages:
        text = texts.get(language)
        if text:
            return text
    return None


@dataclass(frozen=True, slots=True)
class VocabularyItem:
    word: str
    part_of_speech: str
    meaning: Mapping[str, str]
    reading: str | None = None


@dataclass(frozen=True, slots=True)
class Expression:
    key: str
    position: int
    text: Mapping[str, str]
    note: Mapping[str, str]
    romanization: Mapping[str, str] = field(default_factory=dict)
    vocabulary: Mapping[str, tuple[VocabularyItem, ...]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return content_id("expression", self.key)


@dataclass(frozen=True, slots=True)
class Lesson:
    key: str
    category_key: str
    position: int
    level: CefrLevel
    title: Mapping[str, str]
    description: Mapping[str, str]
    expressions: tuple[Expression, ...] = ()

    @property
    def id(self) -> str:
        return content_id("lesson", self.key)

    @property
    def category_id(self) -> str:
        return content_id("category", self.category_key)

    @property
    def languages(self) -> frozenset[str]:
        """The languages every expression of the lesson is written in."""
        if not self.expressions:
            return frozenset()
        common = set(self.expressions[0].text)
        for expression in self.expressions[1:]:
            common &= set(expression.text)
        return frozenset(common)


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    position: int
    title: Mapping[str, str]
    description: Mapping[str, str]
    lessons: tuple[Lesson, ...] = ()

    @property
    def id(self) -> str:
        return content_id("category", self.key)


class ProgressStatus(StrEnum):
    NOT_STARTED = "not_started"
    STARTED = "started"
    COMPLETED = "completed"


MAX_SCORE = 100
MAX_SECONDS_PER_REPORT = 24 * 60 * 60


@dataclass(slots=True)
class LessonProgress:
    """One learner's progress in one lesson: best score, total time, first completion."""

    user_id: str
    lesson_id: str
    started_at: datetime
    updated_at: datetime
    score: int | None = None
    seconds_spent: int = 0
    completed_at: datetime | None = None

    @classmethod
    def start(cls, user_id: str, lesson_id: str, now: datetime) -> LessonProgress:
        return cls(user_id=user_id, lesson_id=lesson_id, started_at=now, updated_at=now)

    @property
    def status(self) -> ProgressStatus:
        return ProgressStatus.COMPLETED if self.completed_at else ProgressStatus.STARTED

    def record(self, *, completed: bool, score: int, seconds_spent: int, now: datetime) -> bool:
        """Add one session: the best score is kept, time adds up, the first completion is
        remembered. True when this session completed the lesson for the first time."""
        if not 0 <= score <= MAX_SCORE:
            raise InvalidProgressError("score must be between 0 and 100", field="score")
        if not 0 <= seconds_spent <= MAX_SECONDS_PER_REPORT:
            raise InvalidProgressError(
                "seconds_spent must be between 0 and 86400", field="seconds_spent"
            )
        self.score = score if self.score is None else max(self.score, score)
        self.seconds_spent += seconds_spent
        self.updated_at = now
        if completed and self.completed_at is None:
            self.completed_at = now
            return True
        return False
