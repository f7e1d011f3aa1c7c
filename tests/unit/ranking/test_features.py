from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypehere.adapters.ranking.features import extract_features
from hypehere.domain.feed.features import (
    FEATURE_COUNT,
    FEATURE_INDEX,
    FEATURE_NAMES,
    HEURISTIC_WEIGHTS,
    CandidateSignals,
    feature_vector,
)
from tests.unit.ranking.signals import candidate_signals, make_signals

pytestmark = pytest.mark.unit


@settings(max_examples=150, deadline=None)
@given(st.lists(candidate_signals, min_size=1, max_size=40))
def test_numpy_batch_equals_the_domain_reference(batch: list[CandidateSignals]) -> None:
    matrix = extract_features(batch)
    assert matrix.dtype == np.float32
    assert matrix.shape == (len(batch), FEATURE_COUNT)
    reference = np.array([feature_vector(s) for s in batch], dtype=np.float64)
    np.testing.assert_allclose(matrix, reference, rtol=1e-6, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.lists(candidate_signals, min_size=1, max_size=20), candidate_signals)
def test_batch_with_one_shared_viewer_equals_the_reference(
    batch: list[CandidateSignals], viewer: CandidateSignals
) -> None:
    # the usual serving case: every candidate carries the same viewer languages
    from dataclasses import replace

    shared = [
        replace(
            s,
            viewer_native_language=viewer.viewer_native_language,
            viewer_target_languages=viewer.viewer_target_languages,
        )
        for s in batch
    ]
    reference = np.array([feature_vector(s) for s in shared], dtype=np.float64)
    np.testing.assert_allclose(extract_features(shared), reference, rtol=1e-6, atol=1e-6)


def test_empty_batch_is_an_empty_matrix() -> None:
    assert extract_features([]).shape == (0, FEATURE_COUNT)


def test_reference_values_for_a_known_candidate() -> None:
    s = make_signals(
        age_hours=12.0, like_count=3, comment_count=2, author_follower_count=0, affinity=0.0
    )
    v = dict(zip(FEATURE_NAMES, feature_vector(s), strict=True))
    assert v["recency"] == pytest.approx(0.5)  # one half-life
    assert v["log_engagement"] == pytest.approx(math.log1p(3 + 2 * 2))
    assert v["engagement_rate"] == pytest.approx(7 / 10)
    assert v["lang_is_target"] == 1.0
    assert v["lang_is_native"] == 0.0
    assert v["language_fit"] == 1.0
    native = dict(zip(FEATURE_NAMES, feature_vector(make_signals(post_language="en")), strict=True))
    assert (native["lang_is_target"], native["lang_is_native"], native["language_fit"]) == (
        0.0,
        1.0,
        0.5,
    )
    other = feature_vector(make_signals(post_language="fr"))
    assert other[FEATURE_INDEX["language_fit"]] == 0.0


@given(candidate_signals)
def test_signals_round_trip_through_dict(signals: CandidateSignals) -> None:
    assert CandidateSignals.from_dict(signals.to_dict()) == signals


def test_every_feature_has_a_heuristic_weight() -> None:
    assert set(HEURISTIC_WEIGHTS) == set(FEATURE_NAMES)
    assert len(set(FEATURE_NAMES)) == FEATURE_COUNT
