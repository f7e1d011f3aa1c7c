"""Ranked-feed snapshots keep each candidate's signals encoded; what a page logs must be
exactly the signals the candidate was ranked with."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hypehere.adapters.memory.cache import InMemoryCache
from hypehere.adapters.memory.clock import FixedClock
from hypehere.application.feed.snapshots import FeedSnapshot, FeedSnapshots, RankedItem
from hypehere.domain.feed.features import CandidateSignals
from tests.unit.ranking.signals import candidate_signals


@given(candidate_signals, st.floats(allow_nan=False, allow_infinity=False))
def test_signals_survive_the_snapshot_encoding(signals: CandidateSignals, score: float) -> None:
    item = RankedItem.of(signals, score)
    assert (item.post_id, item.author_id, item.score) == (signals.post_id, signals.author_id, score)
    assert item.signals_dict() == signals.to_dict()
    assert CandidateSignals.from_dict(item.signals_dict()) == signals


def _signals(n: int) -> list[CandidateSignals]:
    return [
        CandidateSignals(
            post_id=f"p{i}",
            author_id=f"a{i % 3}",
            age_hours=i / 2,
            like_count=i,
            comment_count=0,
            author_follower_count=10,
            affinity=1.5,
            post_language="en",
            viewer_native_language="ko",
            viewer_target_languages=("en", "ja"),
            is_followed_author=i % 2 == 0,
            has_media=False,
            content_length=40,
            author_posts_last_7d=3,
        )
        for i in range(n)
    ]


async def test_a_saved_snapshot_loads_with_its_pages_and_signals() -> None:
    signals = _signals(5)
    items = [RankedItem.of(s, 1.0 - i / 10) for i, s in enumerate(signals)]
    store = FeedSnapshots(InMemoryCache(FixedClock()))
    snapshot = FeedSnapshot("s1", "viewer", 0, None, datetime(2026, 1, 1, tzinfo=UTC), "h:1", items)
    first = snapshot.serve_next(2)
    await store.save(snapshot, new=True)

    loaded = await store.load("viewer", "s1")
    assert loaded is not None
    assert [i.post_id for i in loaded.page(0)] == [i.post_id for i in first] == ["p0", "p1"]
    assert [loaded.ranked[i].signals_dict() for i in loaded.unserved()] == [
        s.to_dict() for s in signals[2:]
    ]
    assert await store.load("someone-else", "s1") is None

    # A later page stores only the progress; the ranking written with the first page stays.
    second = loaded.serve_next(2)
    await store.save(loaded, new=False)
    again = await store.load("viewer", "s1")
    assert again is not None
    assert [[i.post_id for i in again.page(n)] for n in range(again.page_count)] == [
        ["p0", "p1"],
        [i.post_id for i in second],
    ]
    assert again.served_count == 4 and again.has_more_after(1)


async def test_a_session_missing_either_entry_or_of_an_older_generation_is_gone() -> None:
    cache = InMemoryCache(FixedClock())
    store = FeedSnapshots(cache)
    items = [RankedItem.of(s, 1.0) for s in _signals(4)]
    snapshot = FeedSnapshot("s2", "viewer", 0, None, datetime(2026, 1, 1, tzinfo=UTC), "h:1", items)
    snapshot.serve_next(2)
    await store.save(snapshot, new=True)
    assert await store.load("viewer", "s2") is not None

    await cache.delete("feed:pages:viewer:s2")
    assert await store.load("viewer", "s2") is None

    await store.save(snapshot, new=True)
    await store.invalidate("viewer")
    assert await store.load("viewer", "s2") is None
