"""The `Ranker` port: scores a batch of feed candidates for one viewer.

Implementations: `LightGBMRanker` (a trained model; picks up newer model files without a
restart) and `HeuristicRanker` (hand-set weights; the fallback when no model loads), both in
`hypehere.adapters.ranking`. Scoring is synchronous CPU work (well under a millisecond per
hundred candidates), called once per batch, never per post.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hypehere.domain.feed.features import CandidateSignals


class Ranker(Protocol):
    @property
    def name(self) -> str:
        """Which ranker scored: "lightgbm" or "heuristic" (for logs and impression records)."""
        ...

    @property
    def version(self) -> str:
        """Model version (the model file's stem) or the heuristic's version tag."""
        ...

    def score(self, candidates: Sequence[CandidateSignals]) -> list[float]:
        """One score per candidate, same order; higher ranks first. Empty in, empty out."""
        ...
