"""History paging shared by conversations and rooms: newest first with a cursor, or oldest
first after a message id (catching up after a reconnect). Cursors hold (direction, seq).
The sender's own held messages (the fail-closed moderation tier) top the newest page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from hypehere.domain.chat.errors import MessageNotFoundError
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    encode_cursor,
)

T = TypeVar("T")

# A viewer's own held messages on the newest page, at most (the tier holds an account's
# first few messages only).
HELD_SHOWN = 20


class MessageLog(Protocol[T]):
    """A channel's messages by sequence number: `ConversationReader` and `RoomReader`."""

    async def messages_before(
        self, channel_id: str, before_seq: int | None, limit: int, /
    ) -> list[tuple[int, T]]: ...

    async def messages_after(
        self, channel_id: str, after_seq: int, limit: int, /
    ) -> list[tuple[int, T]]: ...

    async def message_seq(self, channel_id: str, message_id: str, /) -> int | None: ...


async def history_page(
    log: MessageLog[T],
    channel_id: str,
    *,
    limit: int | None,
    cursor: str | None,
    after: str | None,
    held: Sequence[T] = (),
) -> Page[T]:
    """`held`: the viewer's own messages still held by moderation (newest first), shown
    above the newest page; they have no sequence number, so no other page has them."""
    request = PageRequest.of(limit, cursor, arity=2)
    direction, seq = _position(request)
    if after is not None and request.cursor is None:
        after_seq = await log.message_seq(channel_id, after)
        if after_seq is None:
            raise MessageNotFoundError("The message was not found.")
        direction, seq = "a", after_seq
    if direction == "a":
        assert seq is not None
        rows = await log.messages_after(channel_id, seq, request.limit)
    else:
        rows = await log.messages_before(channel_id, seq, request.limit)
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    next_cursor = encode_cursor((direction, rows[-1][0])) if has_more and rows else None
    items = [item for _, item in rows]
    if request.cursor is None and direction == "b":
        items[:0] = held
    return Page(items=items, next_cursor=next_cursor)


def _position(request: PageRequest) -> tuple[str, int | None]:
    if request.cursor is None:
        return "b", None
    direction, seq = request.cursor
    if direction not in ("a", "b") or not isinstance(seq, int) or isinstance(seq, bool):
        raise InvalidCursorError("The cursor is not valid")
    return direction, seq
