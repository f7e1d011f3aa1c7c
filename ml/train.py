"""Train the feed ranker (LightGBM, binary objective) and write a versioned model file.

Data sources (`--source`):
- `synthetic`: `ml.synthetic.generate` (seeded, deterministic).
- `database`: the impression log the feed writes (`feed_impressions`: one row per post shown,
  with the candidate's raw `CandidateSignals` as they were at serving time, turned into
  features here by the same spec the server uses) labelled by `feed_engagements` (a like or
  comment by the same user on the same post within `LABEL_WINDOW_HOURS` after it was shown).
- `file`: exported impressions, JSON lines: `{"session_id", "label", "shown_at" (any
  sortable value), and "features": [...] (FEATURE_NAMES order) or "signals": {...}
  (`CandidateSignals.to_dict()`)}`.
- `auto` (the default of `hypehere train-ranker`): the database when it holds at least
  `--min-rows` labelled impressions with at least `--min-positives` engagements, otherwise
  synthetic data (a new install has no history yet).

Objective: binary (P(engage | shown)) rather than lambdarank. Feed sessions are short and
most have no engagement at all; lambdarank learns nothing from those groups, while the
pointwise objective uses every impression. The score is a calibrated-ish probability, so it
is comparable across sessions and can be logged and mixed with other signals. Ranking
quality is still measured per session (NDCG@10) in `ml/evaluate.py`.

Held-out split: temporal, by session: the newest `--holdout` share of sessions is the test
set, so the model is judged on the future, as in production.

Output: `--output-dir DIR` writes `DIR/ranker-<UTC timestamp>.txt` (atomically: temp file +
rename, so a server never reads half a model) plus a `.json` with the data summary and the
held-out metrics, and keeps the newest `--keep` models. `--output FILE` writes exactly there
(used for the model bundled in the package).

This module imports only `hypehere.domain` from the service (import-linter contract).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hypehere.domain.feed.features import (
    FEATURE_NAMES,
    CandidateSignals,
    feature_vector,
)
from ml.evaluate import Comparison, compare
from ml.matrix import TrainingMatrix, build_matrix, matrix_from_rows
from ml.synthetic import SyntheticConfig, generate

LABEL_WINDOW_HOURS = 24
MODEL_PREFIX = "ranker-"

PARAMS: dict[str, Any] = {
    "objective": "binary",
    "metric": "auc",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 100,
    "lambda_l2": 1.0,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "deterministic": True,
    "force_col_wise": True,
    "verbosity": -1,
}
NUM_BOOST_ROUND = 80  # 80 x 15 leaves: ~AUC of 150 trees at half the predict cost


def _sortable(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def load_file(path: Path) -> TrainingMatrix:
    def rows() -> Iterable[tuple[Sequence[float], int, str, float]]:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                item = json.loads(line)
                if "features" in item:
                    vector = [float(x) for x in item["features"]]
                else:
                    vector = list(feature_vector(CandidateSignals.from_dict(item["signals"])))
                yield (
                    vector,
                    int(bool(item["label"])),
                    str(item["session_id"]),
                    _sortable(item.get("shown_at", 0.0)),
                )

    return matrix_from_rows(rows())


IMPRESSIONS_QUERY = """
SELECT i.feed_session_id, i.{column}, i.shown_at,
       EXISTS (
         SELECT 1 FROM feed_engagements e
         WHERE e.user_id = i.user_id AND e.post_id = i.post_id
           AND e.occurred_at >= i.shown_at AND e.occurred_at < {window_end}
       ) AS engaged
FROM feed_impressions i
WHERE i.{column} IS NOT NULL
ORDER BY i.shown_at, i.feed_session_id, i.position
"""


def _vector(column: str, value: Any) -> Sequence[float]:
    data = json.loads(value) if isinstance(value, str | bytes) else value
    if column == "signals":  # raw CandidateSignals.to_dict(): features by the shared spec
        return feature_vector(CandidateSignals.from_dict(data))
    return [float(x) for x in data]


def load_database(url: str) -> TrainingMatrix:
    """Logged impressions + engagements from the service database (Postgres or SQLite).

    Reads `feed_impressions.signals` (the raw `CandidateSignals.to_dict()` logged at
    serving time; features are recomputed here through the shared spec) or, in a schema
    that logs the finished rows, `feed_impressions.features`."""
    from sqlalchemy import inspect, text
    from sqlalchemy.ext.asyncio import create_async_engine

    # Label window: an engagement counts if it happened within LABEL_WINDOW_HOURS of showing.
    # Written per dialect, since interval arithmetic differs between Postgres and SQLite.
    if url.startswith("sqlite"):
        window = f"datetime(i.shown_at, '+{LABEL_WINDOW_HOURS} hours')"
    else:
        window = f"i.shown_at + interval '{LABEL_WINDOW_HOURS} hours'"

    async def fetch() -> tuple[str, list[Any]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                columns = await connection.run_sync(
                    lambda sync: {c["name"] for c in inspect(sync).get_columns("feed_impressions")}
                )
                column = "signals" if "signals" in columns else "features"
                query = IMPRESSIONS_QUERY.format(column=column, window_end=window)
                result = await connection.execute(text(query))
                return column, list(result.all())
        finally:
            await engine.dispose()

    def rows() -> Iterable[tuple[Sequence[float], int, str, float]]:
        column, fetched = asyncio.run(fetch())
        for session_id, value, shown_at, engaged in fetched:
            at = _sortable(shown_at)
            yield _vector(column, value), int(bool(engaged)), str(session_id), at

    return matrix_from_rows(rows())


def temporal_split(matrix: TrainingMatrix, holdout: float) -> tuple[TrainingMatrix, TrainingMatrix]:
    """The newest `holdout` share of sessions is the test set."""
    sessions: dict[str, float] = {}
    for group, at in zip(matrix.groups.tolist(), matrix.times.tolist(), strict=True):
        sessions[group] = max(at, sessions.get(group, at))
    ordered = sorted(sessions, key=lambda g: (sessions[g], g))
    cut = int(len(ordered) * (1.0 - holdout))
    test_sessions = np.asarray(ordered[cut:], dtype=np.str_)
    is_test = np.isin(matrix.groups, test_sessions)
    return matrix.take(~is_test), matrix.take(is_test)


def fit(
    train: TrainingMatrix, *, seed: int = 7, num_threads: int = 2, rounds: int = NUM_BOOST_ROUND
) -> Any:
    import lightgbm as lgb

    params = dict(PARAMS, seed=seed, num_threads=num_threads)
    dataset = lgb.Dataset(
        train.features, label=train.labels, feature_name=list(FEATURE_NAMES), free_raw_data=True
    )
    return lgb.train(params, dataset, num_boost_round=rounds)


@dataclass(frozen=True, slots=True)
class TrainingResult:
    booster: Any
    comparison: Comparison
    train_rows: int
    source: str


def train_and_evaluate(
    matrix: TrainingMatrix,
    *,
    source: str,
    holdout: float = 0.2,
    seed: int = 7,
    num_threads: int = 2,
    rounds: int = NUM_BOOST_ROUND,
) -> TrainingResult:
    train, test = temporal_split(matrix, holdout)
    booster = fit(train, seed=seed, num_threads=num_threads, rounds=rounds)
    comparison = compare(
        booster.predict(test.features, num_threads=num_threads),
        test.features,
        test.labels,
        test.groups,
    )
    return TrainingResult(booster, comparison, len(train), source)


def _write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".partial")
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; the server may run as another user
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(
    result: TrainingResult,
    *,
    output: Path | None = None,
    output_dir: Path | None = None,
    keep: int = 5,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write the model (+ a JSON card) and return the model path."""
    if output is None:
        if output_dir is None:
            raise ValueError("output or output_dir is required")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        output = output_dir / f"{MODEL_PREFIX}{stamp}.txt"
    card = {
        "version": output.stem,
        "trained_at": datetime.now(UTC).isoformat(),
        "objective": PARAMS["objective"],
        "params": PARAMS,
        "feature_names": list(FEATURE_NAMES),
        "source": result.source,
        "train_rows": result.train_rows,
        "holdout": result.comparison.to_dict(),
        **(extra or {}),
    }
    # the card first: by the time a server sees the model file, its card is there too
    _write_atomic(output.with_suffix(".json"), json.dumps(card, indent=2) + "\n")
    _write_atomic(output, result.booster.model_to_string())
    if output_dir is not None and keep > 0:
        models = sorted(output_dir.glob(f"{MODEL_PREFIX}*.txt"), reverse=True)
        for old in models[keep:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
    return output


def load_training_data(args: argparse.Namespace) -> tuple[TrainingMatrix, str]:
    if args.source == "file":
        if args.impressions is None:
            raise SystemExit("--source file needs --impressions PATH")
        return load_file(args.impressions), f"file:{args.impressions.name}"
    if args.source in ("database", "auto") and args.database_url:
        try:
            matrix = load_database(args.database_url)
        except Exception as exc:  # no database / not migrated yet
            if args.source == "database":
                raise
            print(
                f"impression log unavailable ({exc!r:.200}); using synthetic data", file=sys.stderr
            )
        else:
            positives = int(matrix.labels.sum())
            enough = len(matrix) >= args.min_rows and positives >= args.min_positives
            if args.source == "database" or enough:
                return matrix, "database"
            print(
                f"database has {len(matrix)} impressions / {positives} engagements "
                f"(< {args.min_rows} / {args.min_positives}); training on synthetic data",
                file=sys.stderr,
            )
    elif args.source == "database":
        raise SystemExit("--source database needs --database-url")
    config = SyntheticConfig(
        users=args.users, posts=args.posts, sessions=args.sessions, seed=args.seed
    )
    return build_matrix(generate(config).impressions), f"synthetic:seed={args.seed}"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ml.train", description="Train the feed ranker")
    p.add_argument("--source", choices=["auto", "synthetic", "database", "file"], default="auto")
    p.add_argument("--database-url", default=os.environ.get("HYPEHERE_DATABASE_URL"))
    p.add_argument("--impressions", type=Path, help="JSON-lines export (with --source file)")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--output-dir", type=Path, help="write DIR/ranker-<UTC timestamp>.txt")
    out.add_argument("--output", type=Path, help="write exactly this file")
    p.add_argument("--keep", type=int, default=5, help="models to keep in --output-dir")
    p.add_argument("--min-rows", type=int, default=5000)
    p.add_argument("--min-positives", type=int, default=200)
    p.add_argument("--holdout", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--users", type=int, default=SyntheticConfig().users)
    p.add_argument("--posts", type=int, default=SyntheticConfig().posts)
    p.add_argument("--sessions", type=int, default=SyntheticConfig().sessions)
    p.add_argument("--rounds", type=int, default=NUM_BOOST_ROUND)
    p.add_argument("--num-threads", type=int, default=2)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    matrix, source = load_training_data(args)
    if len(matrix) == 0 or matrix.labels.min() == matrix.labels.max():
        print(f"not enough labelled data from {source}", file=sys.stderr)
        return 1
    result = train_and_evaluate(
        matrix,
        source=source,
        holdout=args.holdout,
        seed=args.seed,
        num_threads=args.num_threads,
        rounds=args.rounds,
    )
    path = save_model(
        result,
        output=args.output,
        output_dir=args.output_dir,
        keep=args.keep,
        extra={"training_seconds": round(time.perf_counter() - started, 2)},
    )
    summary = {"model": str(path), "source": source, **result.comparison.to_dict()}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
