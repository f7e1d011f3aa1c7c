"""Base errors. Every module's errors derive from these categories; the HTTP error table
maps each class (by MRO) to a status and a stable `code`."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule was broken; safe to show to the client."""

    code: str = "domain_error"

    def __init__(self, message: str = "", **params: Any) -> None:
        super().__init__(message or self.__class__.__name__)
        self.message = message or self.__class__.__name__
        self.params = params


class NotFoundError(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    code = "conflict"


class ForbiddenError(DomainError):
    code = "forbidden"


class StaffOnlyError(ForbiddenError):
    """Only staff (for some actions: only an admin) may do this; any module's staff action
    raises it (`application/common/actor.require_staff`)."""

    code = "forbidden"


class InvalidInputError(DomainError):
    """Input that is well-formed but breaks a rule (422)."""

    code = "validation_error"

    def __init__(self, message: str = "", *, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class UnauthorizedError(DomainError):
    code = "unauthorized"


class RateLimitedError(DomainError):
    """Too many attempts; `retry_after` (seconds) becomes the Retry-After header (429)."""

    code = "rate_limited"
