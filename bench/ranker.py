"""Ranking latency: 500 candidates end to end (feature extraction + one LightGBM predict).

    .venv/bin/python -m bench ranker [--candidates 500] [--iterations 2000]
    (or .venv/bin/python -m bench.ranker ...)

Prints p50/p99/mean per stage in milliseconds (the figures in bench/RESULTS.md, "ranker").
Candidates are realistic synthetic ones (from `ml.synthetic`), one viewer per batch as in a
feed request. Single process, single thread (`num_threads=1`, as the server predicts).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from hypehere.adapters.ranking.features import extract_features
from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.adapters.ranking.lightgbm_ranker import (
    LightGBMRanker,
    bundled_model_path,
    load_booster,
)
from hypehere.domain.feed.features import CandidateSignals
from ml.synthetic import SyntheticConfig, generate


def candidates_for_one_viewer(n: int) -> list[CandidateSignals]:
    from dataclasses import replace

    data = generate(SyntheticConfig(users=500, posts=5000, sessions=max(1, n // 30 + 1), seed=5))
    viewer = data.impressions[0].signals
    return [
        replace(
            imp.signals,
            viewer_native_language=viewer.viewer_native_language,
            viewer_target_languages=viewer.viewer_target_languages,
        )
        for imp in data.impressions[:n]
    ]


def measure(fn: Callable[[], object], iterations: int) -> dict[str, float]:
    for _ in range(50):  # warm up
        fn()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - started) / 1e6)
    samples.sort()
    return {
        "min": samples[0],
        "p50": samples[len(samples) // 2],
        "p99": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "mean": statistics.fmean(samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ranker")
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args(argv)

    candidates = candidates_for_one_viewer(args.candidates)
    assert len(candidates) == args.candidates
    ranker = LightGBMRanker(model_dir=Path("/nonexistent"), bundled_model=bundled_model_path())
    assert ranker.name == "lightgbm"
    booster = load_booster(bundled_model_path())
    matrix = extract_features(candidates)
    heuristic = HeuristicRanker()

    stages = {
        "extract_features (numpy, 500 x 16)": lambda: extract_features(candidates),
        "lightgbm predict (one call)": lambda: booster.predict(matrix, num_threads=1),
        "LightGBMRanker.score (end to end)": lambda: ranker.score(candidates),
        "HeuristicRanker.score (end to end)": lambda: heuristic.score(candidates),
    }
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.candidates} candidates, {args.iterations} iterations, times in ms")
    print(f"load average before: {load} ({os.cpu_count()} CPUs)")
    print(f"{'stage':42} {'min':>8} {'p50':>8} {'p99':>8} {'mean':>8}")
    for name, fn in stages.items():
        r = measure(fn, args.iterations)
        print(f"{name:42} {r['min']:8.3f} {r['p50']:8.3f} {r['p99']:8.3f} {r['mean']:8.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
