"""Hand-weighted ranker: a linear score over the shared features (the no-model fallback)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hypehere.adapters.ranking.features import FloatMatrix, extract_features
from hypehere.domain.feed.features import HEURISTIC_WEIGHT_VECTOR, CandidateSignals

HEURISTIC_VERSION = "heuristic-v1"

_WEIGHTS = np.asarray(HEURISTIC_WEIGHT_VECTOR, dtype=np.float32)


def heuristic_scores(features: FloatMatrix) -> FloatMatrix:
    """Scores for an already extracted feature matrix (one matrix-vector product)."""
    scores: FloatMatrix = features @ _WEIGHTS
    return scores


class HeuristicRanker:
    """Weights from `hypehere.domain.feed.features.HEURISTIC_WEIGHTS`, applied in one pass."""

    @property
    def name(self) -> str:
        return "heuristic"

    @property
    def version(self) -> str:
        return HEURISTIC_VERSION

    def score(self, candidates: Sequence[CandidateSignals]) -> list[float]:
        if not candidates:
            return []
        scores: list[float] = heuristic_scores(extract_features(candidates)).tolist()
        return scores
