"""Keyset pagination: opaque cursors that stay stable when rows are inserted.

A cursor encodes the sort key of the last row of a page. The next page is "rows strictly
after that key", so inserts elsewhere never shift or duplicate what a client sees.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hypehere.domain.shared.errors import DomainError, InvalidInputError

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class InvalidCursorError(DomainError):
    code = "invalid_cursor"


class InvalidLimitError(InvalidInputError):
    code = "validation_error"


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    cursor: tuple[Any, ...] | None = None

    @classmethod
    def of(cls, limit: int | None, cursor: str | None, *, arity: int | None = None) -> PageRequest:
        size = DEFAULT_LIMIT if limit is None else limit
        if not 1 <= size <= MAX_LIMIT:
            raise InvalidLimitError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        key = decode_cursor(cursor, arity=arity) if cursor else None
        return cls(limit=size, cursor=key)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(key: tuple[Any, ...]) -> str:
    raw = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, arity: int | None = None) -> tuple[Any, ...]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii"))
        value = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise InvalidCursorError("The cursor is not valid") from exc
    if not isinstance(value, list) or (arity is not None and len(value) != arity):
        raise InvalidCursorError("The cursor is not valid")
    if any(isinstance(v, (dict, list)) for v in value):
        raise InvalidCursorError("The cursor is not valid")
    return tuple(value)


def page_from_rows(rows: list[T], limit: int, key_of: Any) -> Page[T]:
    """Rows were fetched with limit + 1: the extra row only says whether there is more."""
    has_more = len(rows) > limit
    items = rows[:limit]
    next_cursor = encode_cursor(key_of(items[-1])) if has_more and items else None
    return Page(items=items, next_cursor=next_cursor)
