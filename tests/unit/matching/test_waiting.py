"""Queue position and wait estimates (domain/matching/waiting.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry
from hypehere.domain.matching.waiting import (
    DEFAULT_WAIT_SECONDS,
    MAX_ESTIMATE_SECONDS,
    estimate_wait_seconds,
    language_pair,
    queue_position,
)
from hypehere.domain.shared.languages import CefrLevel

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def entry(
    user_id: str, native: str, target: str, seconds_ago: int, mode: ChatMode = ChatMode.TEXT
) -> QueueEntry:
    return QueueEntry(
        user_id=user_id,
        native_language=native,
        targets=(LearnedLanguage(target, CefrLevel.A2),),
        mode=mode,
        joined_at=NOW - timedelta(seconds=seconds_ago),
    )


def test_position_counts_only_earlier_entries_of_the_same_line() -> None:
    me = entry("me", "ko", "en", 10)
    line = [
        entry("a", "ko", "en", 30),
        entry("b", "ko", "en", 20),
        entry("later", "ko", "en", 5),
        entry("other-line", "ja", "en", 60),
        entry("other-mode", "ko", "en", 60, ChatMode.VIDEO),
    ]
    assert language_pair(me) == ("ko", "en")
    assert queue_position(me, [me, *line]) == 3
    assert queue_position(line[0], [me, *line]) == 1


@given(st.lists(st.integers(0, 600), min_size=1, max_size=30, unique=True))
def test_positions_in_one_line_are_one_to_n(ages: list[int]) -> None:
    waiting = [entry(f"u{i}", "ko", "en", age) for i, age in enumerate(ages)]
    assert sorted(queue_position(e, waiting) for e in waiting) == list(range(1, len(waiting) + 1))


def test_estimate_uses_the_median_recent_wait_per_place() -> None:
    assert estimate_wait_seconds([10, 20, 300], position=1) == 20
    assert estimate_wait_seconds([10, 20, 300], position=3) == 60
    assert estimate_wait_seconds([], position=2) == 2 * DEFAULT_WAIT_SECONDS
    assert estimate_wait_seconds([5000], position=1) == MAX_ESTIMATE_SECONDS


@given(st.lists(st.floats(0, 10_000), max_size=80), st.integers(-3, 500))
def test_estimate_is_bounded_and_grows_with_the_position(waits: list[float], position: int) -> None:
    estimate = estimate_wait_seconds(waits, position)
    assert 0 <= estimate <= MAX_ESTIMATE_SECONDS
    assert estimate_wait_seconds(waits, position + 1) >= estimate
