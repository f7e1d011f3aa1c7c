"""Translate driver errors into application errors so no driver type leaks upward."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from hypehere.application.common.errors import StorageConflictError, StorageUnavailableError


def is_unique_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate key" in text


QUERY_CANCELED = "57014"  # statement_timeout (or a cancel request) stopped the statement


def is_timeout(exc: DBAPIError) -> bool:
    """The server cancelled the statement (`statement_timeout`): the database is too slow
    or blocked right now, a 503 like an unreachable one, not a bug."""
    return getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED


@asynccontextmanager
async def translate_errors() -> AsyncIterator[None]:
    try:
        yield
    except IntegrityError as exc:
        raise StorageConflictError("The change conflicts with existing data") from exc
    except (OperationalError, PoolTimeoutError, OSError) as exc:
        raise StorageUnavailableError("The database is unavailable") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated or is_timeout(exc):
            raise StorageUnavailableError("The database is unavailable") from exc
        raise
