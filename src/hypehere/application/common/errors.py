"""Application-level errors adapters raise instead of driver exceptions."""

from __future__ import annotations

from hypehere.domain.shared.errors import ConflictError, DomainError


class StorageUnavailableError(DomainError):
    """The database or another backing service cannot be reached (503)."""

    code = "service_unavailable"


class StorageConflictError(ConflictError):
    """A uniqueness or concurrency conflict the use case did not anticipate (409)."""

    code = "conflict"
