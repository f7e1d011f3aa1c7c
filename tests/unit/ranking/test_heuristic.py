from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.domain.feed.features import CandidateSignals, heuristic_score
from tests.unit.ranking.signals import candidate_signals, make_signals

pytestmark = pytest.mark.unit

ranker = HeuristicRanker()


def order(*candidates: CandidateSignals) -> list[str]:
    scores = ranker.score(candidates)
    ranked = sorted(zip(scores, candidates, strict=True), key=lambda p: -p[0])
    return [c.post_id for _, c in ranked]


def test_fresher_posts_outrank_otherwise_equal_ones() -> None:
    assert order(
        make_signals(post_id="old", age_hours=48),
        make_signals(post_id="new", age_hours=1),
        make_signals(post_id="mid", age_hours=10),
    ) == ["new", "mid", "old"]


def test_more_engaged_posts_outrank_otherwise_equal_ones() -> None:
    assert order(
        make_signals(post_id="none", like_count=0, comment_count=0),
        make_signals(post_id="likes", like_count=20, comment_count=0),
        make_signals(post_id="comments", like_count=20, comment_count=10),
    ) == ["comments", "likes", "none"]


def test_better_language_fit_outranks_otherwise_equal_ones() -> None:
    # viewer: native en, learning ko
    assert order(
        make_signals(post_id="other", post_language="fr"),
        make_signals(post_id="native", post_language="en"),
        make_signals(post_id="target", post_language="ko"),
    ) == ["target", "native", "other"]


def test_affinity_and_follow_raise_the_score() -> None:
    assert order(
        make_signals(post_id="stranger", affinity=0),
        make_signals(post_id="friend", affinity=12),
    ) == ["friend", "stranger"]
    assert order(
        make_signals(post_id="unfollowed", is_followed_author=False),
        make_signals(post_id="followed", is_followed_author=True),
    ) == ["followed", "unfollowed"]


@settings(max_examples=50, deadline=None)
@given(st.lists(candidate_signals, max_size=30))
def test_vectorized_scores_equal_the_reference_formula(batch: list[CandidateSignals]) -> None:
    assert ranker.score(batch) == pytest.approx(
        [heuristic_score(s) for s in batch], rel=1e-5, abs=1e-4
    )


def test_identity() -> None:
    assert ranker.name == "heuristic"
    assert ranker.version == "heuristic-v1"
    assert ranker.score([]) == []
