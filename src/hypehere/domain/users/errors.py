"""Errors of the users module: `<Thing><Problem>Error` under `UsersError` categories."""

from __future__ import annotations

from datetime import datetime

from hypehere.domain.shared.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    UnauthorizedError,
)


class UserNotFoundError(NotFoundError):
    code = "user_not_found"


class EmailTakenError(ConflictError):
    code = "email_taken"


class HandleTakenError(ConflictError):
    code = "handle_taken"


class InvalidEmailError(InvalidInputError):
    code = "validation_error"


class InvalidTimezoneError(InvalidInputError):
    """Not an IANA time zone name (422 `validation_error`, field code `invalid_timezone`)."""

    code = "invalid_timezone"


class InvalidRetentionError(InvalidInputError):
    """Outside 0.70..0.97 (422 `validation_error`, field code `invalid_desired_retention`)."""

    code = "invalid_desired_retention"


class WeakPasswordError(InvalidInputError):
    code = "validation_error"


class InvalidCredentialsError(UnauthorizedError):
    code = "invalid_credentials"


class WrongPasswordError(ForbiddenError):
    """The old password given to change the password is wrong."""

    code = "wrong_password"


class InvalidRefreshTokenError(UnauthorizedError):
    code = "invalid_refresh_token"


class InvalidAccessTokenError(UnauthorizedError):
    code = "invalid_token"


class AccountInactiveError(UnauthorizedError):
    """The account is deactivated, pending deletion or deleted: log in again."""

    code = "account_inactive"


class AccountSuspendedError(ForbiddenError):
    code = "account_suspended"

    def __init__(self, suspended_until: datetime) -> None:
        super().__init__("The account is suspended", suspended_until=suspended_until)
        self.suspended_until = suspended_until


class AccountBannedError(ForbiddenError):
    code = "account_banned"


class CannotFollowSelfError(InvalidInputError):
    code = "cannot_follow_self"


class CannotBlockSelfError(InvalidInputError):
    code = "cannot_block_self"


class ListPrivateError(ForbiddenError):
    code = "list_private"


class InvalidStateTransitionError(ConflictError):
    code = "invalid_state"


class InsufficientRoleError(ForbiddenError):
    """Staff act only on accounts of a strictly lower role."""

    code = "insufficient_role"


class CannotActOnSelfError(ForbiddenError):
    """Staff actions (ban, suspend, role change, ...) never target the staff member."""

    code = "cannot_act_on_self"
