"""Errors of the learning module."""

from __future__ import annotations

from hypehere.domain.shared.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)


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


class CorrectionNotFoundError(NotFoundError):
    code = "not_found"


class CorrectionTargetNotFoundError(NotFoundError):
    code = "not_found"


class NotNativeSpeakerError(ForbiddenError):
    code = "not_native_speaker"


class CannotCorrectOwnTextError(ForbiddenError):
    code = "own_text"


class NotTheAuthorError(ForbiddenError):
    code = "not_author"


class CorrectionExistsError(ConflictError):
    code = "correction_exists"


class CorrectionAlreadyAcceptedError(ConflictError):
    code = "correction_accepted"


class CorrectionUnchangedError(InvalidInputError):
    code = "correction_unchanged"


class InvalidCorrectionError(InvalidInputError):
    code = "validation_error"


class CurriculumContentInvalidError(InvalidInputError):
    """Staff content breaks the curriculum rules (languages, vocabulary, keys, ...)."""

    code = "curriculum_invalid"


class CategoryExistsError(ConflictError):
    code = "category_exists"


class LessonExistsError(ConflictError):
    code = "lesson_exists"


class CategoryNotEmptyError(ConflictError):
    """A category is deleted only once its lessons are."""

    code = "category_not_empty"
