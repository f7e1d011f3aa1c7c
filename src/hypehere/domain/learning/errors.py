"""Errors of the learning module."""

from __future__ import annotations

from hypehere.domain.shared.errors import DomainError, InvalidInputError, NotFoundError


class LearningError(DomainError):
    code = "learning_error"


class CategoryNotFoundError(NotFoundError):
    code = "not_found"


class LessonNotFoundError(NotFoundError):
    code = "not_found"


class LessonLanguageUnavailableError(InvalidInputError):
    """The lesson has no text in the asked target language (or the learner named none)."""

    code = "lesson_language_unavailable"


class CurriculumFormatError(LearningError):
    """A curriculum document does not have the expected shape (a bad data file)."""

    code = "curriculum_format"


class InvalidProgressError(InvalidInputError):
    code = "validation_error"


class ReviewCardNotFoundError(NotFoundError):
    code = "not_found"
