"""Which target language a learner studies a lesson in."""

from __future__ import annotations

from hypehere.application.learning.ports import Learner
from hypehere.domain.learning.errors import LessonLanguageUnavailableError
from hypehere.domain.learning.model import Lesson


def target_language_for(lesson: Lesson, learner: Learner | None, requested: str | None) -> str:
    """`requested` if given (even empty), else the learner's first target language; 422
    `lesson_language_unavailable` when the lesson is not written in it."""
    if requested is not None:  # empty is asked for, and is no lesson's language
        target: str | None = requested
    else:
        target = learner.target_languages[0] if learner and learner.target_languages else None
    if target is None or target not in lesson.languages:
        raise LessonLanguageUnavailableError(
            "This lesson is not available in that language",
            field="target_language",
            requested_language=target,
        )
    return target
