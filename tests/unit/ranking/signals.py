"""Hypothesis strategies and builders for ranking candidates."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from hypehere.domain.feed.features import CandidateSignals

LANGS = ("ko", "en", "ja", "es", "zh")

counts = st.integers(min_value=0, max_value=1_000_000)

candidate_signals = st.builds(
    CandidateSignals,
    post_id=st.uuids().map(str),
    author_id=st.uuids().map(str),
    age_hours=st.floats(min_value=-2.0, max_value=24 * 90, allow_nan=False),
    like_count=counts,
    comment_count=counts,
    author_follower_count=counts,
    affinity=st.floats(min_value=0.0, max_value=10_000.0, allow_nan=False),
    post_language=st.sampled_from(LANGS),
    viewer_native_language=st.sampled_from(LANGS),
    viewer_target_languages=st.lists(st.sampled_from(LANGS), max_size=3, unique=True).map(tuple),
    is_followed_author=st.booleans(),
    has_media=st.booleans(),
    content_length=st.integers(min_value=0, max_value=2000),
    author_posts_last_7d=st.integers(min_value=0, max_value=500),
    is_trending=st.booleans(),
    author_is_native_of_viewer_target=st.booleans(),
    author_learns_viewer_native=st.booleans(),
)


def make_signals(**overrides: Any) -> CandidateSignals:
    """A plain candidate (a 6-hour-old Korean post for an English speaker learning Korean)."""
    base = CandidateSignals(
        post_id="p1",
        author_id="a1",
        age_hours=6.0,
        like_count=5,
        comment_count=1,
        author_follower_count=50,
        affinity=1.0,
        post_language="ko",
        viewer_native_language="en",
        viewer_target_languages=("ko",),
        is_followed_author=False,
        has_media=False,
        content_length=120,
        author_posts_last_7d=3,
    )
    return replace(base, **overrides)
