"""Offline evaluation: AUC and NDCG@10 on a held-out split, LightGBM vs the heuristic.

Metrics are written out here (numpy only) rather than pulled from scikit-learn, which the
service does not otherwise need.

- AUC: over all held-out impressions (ties count one half; Mann-Whitney U).
- NDCG@10: per feed session (one viewer's ranked list, the unit the feed ranks), binary
  gains (engaged = 1), `(2^rel - 1) / log2(rank + 1)`, averaged over sessions that have at
  least one engagement (NDCG is undefined otherwise).

`python -m ml.evaluate --model PATH` evaluates a model file on a fresh synthetic held-out
set (a different seed from training).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hypehere.domain.feed.features import HEURISTIC_WEIGHT_VECTOR

FloatArray = npt.NDArray[np.float64]


def auc(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(s.size, dtype=np.float64)
    sorted_scores = s[order]
    # average ranks for ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def ndcg_at_k(
    labels: npt.ArrayLike, scores: npt.ArrayLike, groups: Sequence[str] | npt.ArrayLike, k: int = 10
) -> float:
    """Mean NDCG@k over groups (sessions) with at least one positive label."""
    y = np.asarray(labels, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    g = np.asarray(groups)
    order = np.argsort(g, kind="mergesort")
    g_sorted = g[order]
    boundaries = np.flatnonzero(g_sorted[1:] != g_sorted[:-1]) + 1
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    values: list[float] = []
    for idx in np.split(order, boundaries):
        rel = y[idx]
        if rel.sum() <= 0:
            continue
        # ties broken by original order (stable), like a feed would
        ranked = rel[np.argsort(-s[idx], kind="mergesort")][:k]
        ideal = np.sort(rel)[::-1][:k]
        dcg = float(((2.0**ranked - 1.0) * discounts[: ranked.size]).sum())
        idcg = float(((2.0**ideal - 1.0) * discounts[: ideal.size]).sum())
        values.append(dcg / idcg)
    return float(np.mean(values)) if values else float("nan")


def heuristic_scores(features: npt.ArrayLike) -> FloatArray:
    """The serving heuristic (same weights, from the domain feature spec)."""
    x = np.asarray(features, dtype=np.float64)
    scores: FloatArray = x @ np.asarray(HEURISTIC_WEIGHT_VECTOR, dtype=np.float64)
    return scores


@dataclass(frozen=True, slots=True)
class Metrics:
    auc: float
    ndcg_at_10: float


def metrics(
    labels: npt.ArrayLike, scores: npt.ArrayLike, groups: Sequence[str] | npt.ArrayLike
) -> Metrics:
    return Metrics(auc(labels, scores), ndcg_at_k(labels, scores, groups))


@dataclass(frozen=True, slots=True)
class Comparison:
    """Held-out figures of the new model ("lightgbm"), the heuristic and, when one was
    given, the model serving now (`serving_version`), all on the same rows."""

    rows: int
    sessions: int
    positive_rate: float
    lightgbm: Metrics
    heuristic: Metrics
    serving: Metrics | None = None
    serving_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(
    model_scores: npt.ArrayLike,
    features: npt.ArrayLike,
    labels: npt.ArrayLike,
    groups: Sequence[str] | npt.ArrayLike,
    *,
    serving_scores: npt.ArrayLike | None = None,
    serving_version: str | None = None,
) -> Comparison:
    y = np.asarray(labels)
    h = heuristic_scores(features)
    serving = None if serving_scores is None else metrics(y, serving_scores, groups)
    return Comparison(
        rows=int(y.size),
        sessions=int(np.unique(np.asarray(groups)).size),
        positive_rate=float(y.mean()) if y.size else 0.0,
        lightgbm=metrics(y, model_scores, groups),
        heuristic=metrics(y, h, groups),
        serving=serving,
        serving_version=serving_version if serving is not None else None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    import lightgbm as lgb

    from ml.matrix import build_matrix
    from ml.synthetic import SyntheticConfig, generate

    parser = argparse.ArgumentParser(prog="python -m ml.evaluate", description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1001, help="seed of the held-out data")
    parser.add_argument("--sessions", type=int, default=2000)
    args = parser.parse_args(argv)
    data = generate(SyntheticConfig(sessions=args.sessions, seed=args.seed))
    matrix = build_matrix(data.impressions)
    booster = lgb.Booster(model_file=str(args.model))
    scores = booster.predict(matrix.features)
    result = compare(scores, matrix.features, matrix.labels, matrix.groups).to_dict()
    # the simulator's own engagement probabilities: the ceiling any ranker can reach here
    truth = np.array([i.probability for i in data.impressions])
    result["oracle"] = asdict(
        Metrics(auc(matrix.labels, truth), ndcg_at_k(matrix.labels, truth, matrix.groups))
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
