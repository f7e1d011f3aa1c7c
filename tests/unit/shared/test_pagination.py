from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    InvalidLimitError,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_from_rows,
)

pytestmark = pytest.mark.unit

scalars = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)


@given(st.lists(scalars, min_size=1, max_size=4))
def test_cursor_round_trips(key: list[object]) -> None:
    assert decode_cursor(encode_cursor(tuple(key))) == tuple(key)


@given(st.text(max_size=60))
def test_garbled_cursor_is_invalid_cursor_or_a_flat_tuple(garbage: str) -> None:
    try:
        value = decode_cursor(garbage)
    except InvalidCursorError:
        return
    assert isinstance(value, tuple)
    assert not any(isinstance(v, (list, dict)) for v in value)


def _forged(json_text: bytes) -> str:
    return base64.urlsafe_b64encode(json_text).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor((2**63, "a")),  # past a 64-bit column
        encode_cursor((-(2**63) - 1, "a")),
        encode_cursor(("2026-01-01T00:00:00", "a\x00b")),  # NUL: a PostgreSQL driver error
        encode_cursor(("x" * 300, "a")),
        _forged(b'[1e309, "a"]'),  # a float overflowing to infinity
        _forged(b'[NaN, "a"]'),
        _forged(b'["\\ud800", "a"]'),  # a lone surrogate: no UTF-8 for the database
        _forged(b"[" * 5000 + b"]" * 5000),
        _forged(b'[{"a": 1}]'),
        "eyJhIjoxfQ%00",  # not URL-safe base64
        "abc=",
        "a b",
        "A" * 2000,
        "",
    ],
)
def test_forged_or_garbled_cursor_parts_are_invalid_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        decode_cursor(cursor)


def test_cursor_arity_is_checked() -> None:
    with pytest.raises(InvalidCursorError):
        decode_cursor(encode_cursor((1, "a")), arity=3)


@pytest.mark.parametrize("limit", [0, -1, 101, 1000])
def test_limit_outside_range_is_rejected(limit: int) -> None:
    with pytest.raises(InvalidLimitError):
        PageRequest.of(limit, None)


# Keyset columns are 64-bit at most (a cursor part beyond is forged: see above).
int64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@given(st.lists(int64, unique=True, max_size=50), st.integers(min_value=1, max_value=10))
def test_paging_sorted_rows_visits_each_row_once(values: list[int], limit: int) -> None:
    rows = sorted(values, reverse=True)
    seen: list[int] = []
    cursor = None
    for _ in range(len(rows) + 2):
        after = decode_cursor(cursor)[0] if cursor else None
        window = [r for r in rows if after is None or r < after][: limit + 1]
        page = page_from_rows(window, limit, lambda r: (r,))
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == rows
