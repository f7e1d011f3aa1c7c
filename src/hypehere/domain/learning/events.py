"""Facts of the learning module, written to the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hypehere.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionAccepted(DomainEvent):
    """The author accepted a native speaker's correction of their text."""

    topic: ClassVar[str] = "learning.correction_accepted"
    correction_id: str
    corrector_id: str
    author_id: str
    target_type: str
    target_id: str
    language: str
    category: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonCompleted(DomainEvent):
    """A learner completed a lesson for the first time (`language_pair`: native, target)."""

    topic: ClassVar[str] = "learning.lesson_completed"
    user_id: str
    lesson_id: str
    language_pair: tuple[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewSubmitted(DomainEvent):
    """A learner graded one review card (`language_pair`: native, the card's language)."""

    topic: ClassVar[str] = "learning.review_submitted"
    user_id: str
    language_pair: tuple[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionProposed(DomainEvent):
    """Someone proposed a correction of another person's text (`language_pair`: the
    corrector's native language, the text's language; ids only, never the texts)."""

    topic: ClassVar[str] = "learning.correction_proposed"
    correction_id: str
    corrector_id: str
    language_pair: tuple[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonsChanged(DomainEvent):
    """Lessons were created, edited or deleted (curriculum load, staff edits): search
    re-reads them. `languages`: every language they may have been written in before."""

    topic: ClassVar[str] = "learning.lessons_changed"
    lesson_ids: tuple[str, ...]
    languages: tuple[str, ...] = ()
