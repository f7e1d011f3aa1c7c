"""The edge's input rules, applied once for every route rather than route by route.

- JSON bodies (`HardenedRequest.json`, the app's request class): a body that is not UTF-8,
  nests deeper than `MAX_JSON_DEPTH` or is otherwise not JSON is 400 `malformed_request`;
  the depth is checked on the raw bytes before decoding, so a 10,000-level body costs one
  pass over the bytes, not a recursion. A string holding NUL anywhere in the decoded body
  (values or keys) is 422 `validation_error` naming the field: NUL is never stored (a
  PostgreSQL text column rejects it with a driver error).
- Path and query parameters (`reject_unsafe_parameters`, the app's `before_request`): a
  path parameter named `*_id` that is not an id this app issues, or any path parameter
  holding NUL, is 404 (no such resource); a query parameter holding NUL is 422 naming it,
  and a non-empty `cursor` that is not URL-safe base64 is 400 `invalid_cursor`.

Body fields that are ids use `schemas.Id` (422 when malformed).
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException, SerializationException, ValidationException
from litestar.serialization import decode_json
from litestar.types import Empty

from hypehere.domain.shared.ids import is_valid_id
from hypehere.domain.shared.pagination import InvalidCursorError, is_wellformed_cursor

# Every body of this API nests 3 levels at most; 32 leaves room and stops hostile input.
MAX_JSON_DEPTH = 32

_OPENERS = (b"[", b"{")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# A JSON string literal, escapes included (the unrolled form: linear, no backtracking).
_STRING_LITERAL = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether the JSON text `body` nests arrays/objects deeper than `limit` (or has
    unbalanced brackets, which is malformed anyway).

    Cheap: bodies with at most `limit` opening brackets return at once; otherwise the
    string literals are cut out, only the brackets kept, and innermost pairs removed once
    per level (C-speed passes, at most `limit` of them)."""
    if sum(body.count(opener) for opener in _OPENERS) <= limit:
        return False
    skeleton = _STRING_LITERAL.sub(b"", body).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        if not skeleton:
            return False
        shorter = skeleton.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(skeleton):
            return True  # unbalanced: not JSON
        skeleton = shorter
    return bool(skeleton)


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def first_nul_field(value: Any, where: str = "") -> str | None:
    """The path (`target_languages[0].language`) of the first string holding NUL, or None."""
    if isinstance(value, str):
        return (where or "body") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                return where or "body"
            found = first_nul_field(item, _path(where, str(key)))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = first_nul_field(item, _path(where, index))
            if found is not None:
                return found
    return None


def nul_field_error(field: str, source: str) -> ValidationException:
    return ValidationException(
        detail="The request has invalid fields.",
        extra=[{"key": field, "message": "must not contain a NUL character", "source": source}],
    )


def decode_json_body(body: bytes, request: Request[Any, Any, Any]) -> Any:
    if nests_deeper_than(body, MAX_JSON_DEPTH):
        raise SerializationException(f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = decode_json(body, type_decoders=request.route_handler.resolve_type_decoders())
    except (UnicodeDecodeError, RecursionError) as exc:  # msgspec raises these as they are
        raise SerializationException("The body is not UTF-8 JSON") from exc
    field = first_nul_field(value)
    if field is not None:
        raise nul_field_error(field, "body")
    return value


class HardenedRequest(Request[Any, Any, Any]):
    """Litestar's Request with a JSON body decoder that answers bad bodies with 4xx."""

    async def json(self) -> Any:
        if self._json is Empty:
            cached = self._connection_state.json
            if cached is not Empty:
                self._json = cached
            else:
                body = await self.body()
                value = decode_json_body(body or b"null", self)
                self._json = self._connection_state.json = value
        return self._json


async def reject_unsafe_parameters(request: Request[Any, Any, Any]) -> None:
    """`before_request` of the whole app (see the module docstring)."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and (
            "\x00" in value or (name.endswith("_id") and not is_valid_id(value))
        ):
            raise NotFoundException()
    for name, value in request.query_params.multi_items():
        if name == "cursor":
            if value and not is_wellformed_cursor(value):  # `cursor=` is the first page
                raise InvalidCursorError("The cursor is not valid")
        elif "\x00" in value:
            raise nul_field_error(name, "query")
