"""Errors of the moderation module."""

from __future__ import annotations

from hypehere.domain.shared.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)


class ModerationError(DomainError):
    code = "moderation_error"


class ReportNotFoundError(ModerationError, NotFoundError):
    code = "not_found"


class ReportTargetNotFoundError(ModerationError, NotFoundError):
    """The reported thing does not exist or the reporter cannot see it."""

    code = "not_found"


class ReportExistsError(ModerationError, ConflictError):
    code = "report_exists"


class ReportStateError(ModerationError, ConflictError):
    code = "invalid_report_state"


class SelfReportError(ModerationError, InvalidInputError):
    code = "cannot_report_self"


class ActionNotApplicableError(ModerationError, InvalidInputError):
    code = "action_not_applicable"


class StrikeNotFoundError(ModerationError, NotFoundError):
    code = "not_found"


class AppealNotFoundError(ModerationError, NotFoundError):
    code = "not_found"


class AppealExistsError(ModerationError, ConflictError):
    code = "appeal_exists"


class AppealStateError(ModerationError, ConflictError):
    code = "invalid_appeal_state"


class AppealWindowClosedError(ModerationError):
    code = "appeal_window_closed"


class SameModeratorError(ModerationError, ForbiddenError):
    code = "same_moderator"


class HeldItemNotFoundError(ModerationError, NotFoundError):
    code = "not_found"


class HeldItemStateError(ModerationError, ConflictError):
    code = "invalid_item_state"


class SpecNotFoundError(ModerationError, NotFoundError):
    code = "not_found"
