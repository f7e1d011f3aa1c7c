"""`id_floor(T)` splits UUIDv7 ids into "made before T" and "made at or after T"."""

from __future__ import annotations

import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from hypehere.domain.shared.ids import id_floor, new_id


def test_ids_made_now_sort_between_the_floors_of_now_and_later() -> None:
    before = time.time_ns() // 1_000_000
    made = [new_id() for _ in range(100)]
    after = time.time_ns() // 1_000_000
    assert all(id_floor(before) <= i < id_floor(after + 1) for i in made)


@given(st.integers(min_value=0, max_value=2**48 - 2), st.integers(min_value=1, max_value=10**9))
def test_floors_are_ordered_like_their_times(at_ms: int, later_by: int) -> None:
    later = min(at_ms + later_by, 2**48 - 1)
    assert id_floor(at_ms) < id_floor(later)
    assert len(id_floor(at_ms)) == 36


@given(st.integers(min_value=1, max_value=2**48 - 1))
def test_the_largest_id_of_the_previous_millisecond_sorts_below_the_floor(at_ms: int) -> None:
    largest_before = uuid.UUID(
        int=((at_ms - 1) << 80) | (0x7 << 76) | (0xFFF << 64) | (0b10 << 62) | ((1 << 62) - 1)
    )
    assert str(largest_before) < id_floor(at_ms)
    assert uuid.UUID(id_floor(at_ms)).version == 7
