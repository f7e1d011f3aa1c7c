"""History paging shared by conversations and rooms: newest first with a cursor, or oldest
first after a message id (catching up after a reconnect). Cursors hold (direction, seq)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from hypehere.domain.chat.errors import MessageNotFoundError
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    encode_cursor,
)

T = TypeVar("T")
Rows = list[tuple[int, T]]


async def history_page(
    *,
    limit: int | None,
    cursor: str | None,
    after: str | None,
    seq_of: Callable[[str], Awaitable[int | None]],
    before: Callable[[int | None, int], Awaitable[Rows[T]]],
    since: Callable[[int, int], Awaitable[Rows[T]]],
) -> Page[T]:
    request = PageRequest.of(limit, cursor, arity=2)
    direction, seq = _position(request)
    if after is not None and request.cursor is None:
        after_seq = await seq_of(after)
        if after_seq is None:
            raise MessageNotFoundError("The message was not found.")
        direction, seq = "a", after_seq
    if direction == "a":
        assert seq is not None
        rows = await since(seq, request.limit)
    else:
        rows = await before(seq, request.limit)
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    next_cursor = encode_cursor((direction, rows[-1][0])) if has_more and rows else None
    return Page(items=[item for _, item in rows], next_cursor=next_cursor)


def _position(request: PageRequest) -> tuple[str, int | None]:
    if request.cursor is None:
        return "b", None
    direction, seq = request.cursor
    if direction not in ("a", "b") or not isinstance(seq, int) or isinstance(seq, bool):
        raise InvalidCursorError("The cursor is not valid")
    return direction, seq
