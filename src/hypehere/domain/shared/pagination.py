"""Keyset pagination: opaque cursors that stay stable when rows are inserted.

A cursor encodes the sort key of the last row of a page. The next page is "rows strictly
after that key", so inserts elsewhere never shift or duplicate what a client sees.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hypehere.domain.shared.errors import DomainError, InvalidInputError

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# The longest cursor the app issues is well under this; the rest is tampering.
MAX_CURSOR_LENGTH = 1024
MAX_CURSOR_TEXT = 256
_INT64 = 1 << 63
_CURSOR_TEXT = re.compile(r"[A-Za-z0-9_-]+")


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


def is_wellformed_cursor(cursor: str) -> bool:
    """Whether `cursor` is spelled like one `encode_cursor` makes (URL-safe base64)."""
    return 0 < len(cursor) <= MAX_CURSOR_LENGTH and _CURSOR_TEXT.fullmatch(cursor) is not None


def _is_safe_scalar(value: Any) -> bool:
    """A cursor part a reader can hand to any database: short text without NUL or lone
    surrogates, a 64-bit integer, a finite float, a boolean or null."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_INT64 <= value < _INT64
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        if len(value) > MAX_CURSOR_TEXT or "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a "\\ud800" escape
            return False
        return True
    return False


def decode_cursor(cursor: str, *, arity: int | None = None) -> tuple[Any, ...]:
    """The key `encode_cursor` encoded; InvalidCursorError for anything a client could
    have garbled or forged into a value no reader expects."""
    if not is_wellformed_cursor(cursor):
        raise InvalidCursorError("The cursor is not valid")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii"))
        value = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeError, RecursionError) as exc:
        raise InvalidCursorError("The cursor is not valid") from exc
    if not isinstance(value, list) or (arity is not None and len(value) != arity):
        raise InvalidCursorError("The cursor is not valid")
    if not all(_is_safe_scalar(v) for v in value):
        raise InvalidCursorError("The cursor is not valid")
    return tuple(value)


def page_from_rows(rows: list[T], limit: int, key_of: Any) -> Page[T]:
    """Rows were fetched with limit + 1: the extra row only says whether there is more."""
    has_more = len(rows) > limit
    items = rows[:limit]
    next_cursor = encode_cursor(key_of(items[-1])) if has_more and items else None
    return Page(items=items, next_cursor=next_cursor)
