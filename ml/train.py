"""Train the feed ranker (LightGBM, binary objective), gate it, and write a versioned model.

Data sources (`--source`):
- `synthetic`: `ml.synthetic.generate` (seeded, deterministic).
- `database`: the impression log the feed writes (`feed_impressions`: one row per post shown,
  with the candidate's raw `CandidateSignals` as they were at serving time, turned into
  features here by the same spec the server uses) labelled by `feed_engagements` (a like or
  comment by the same user on the same post within `LABEL_WINDOW_HOURS` after it was shown).
  Read through a server-side cursor, `--chunk-rows` rows at a time, into compact numpy
  chunks (`ml.matrix.MatrixBuilder`); at most the newest `--max-rows` impressions.
- `file`: exported impressions, JSON lines: `{"session_id", "label", "shown_at" (any
  sortable value), and "features": [...] (FEATURE_NAMES order) or "signals": {...}
  (`CandidateSignals.to_dict()`)}`, read line by line into the same chunks.
- `auto` (the default of `hypehere train-ranker`): the database when it holds at least
  `--min-rows` labelled impressions with at least `--min-positives` engagements, otherwise
  synthetic data (a new install has no history yet).

Objective: binary (P(engage | shown)) rather than lambdarank. Feed sessions are short and
most have no engagement at all; lambdarank learns nothing from those groups, while the
pointwise objective uses every impression. The score is a calibrated-ish probability, so it
is comparable across sessions and can be logged and mixed with other signals. Ranking
quality is still measured per feed session (one viewer's ranked list: NDCG@10) in
`ml/evaluate.py`.

Splits: by time, whole feed sessions: the oldest sessions train, the next `--validation`
share is the validation set (early stopping on its AUC, patience `--early-stopping-rounds`,
at most `--rounds` trees), and the newest `--holdout` share is the held-out window the gate
judges on, so a model is judged on the future, as in production.

Gate (`--output-dir`): the new model, the model serving now (the `current.json` pointer in
the directory, else `--baseline-model`, the one bundled in the package) and the heuristic
are scored on the held-out window; the new model is promoted (the pointer is moved to it)
only if it beats both by AUC and NDCG@10 (`ml.registry.decide`). Otherwise it is kept as a
rejected candidate: its card says `"status": "rejected"` and why. `--output FILE` writes
exactly there without a gate (used for the model bundled in the package).

Files are written atomically (temp file + rename): the card, then the model, then the
pointer, so a server never reads half a model or a pointer to a missing file. The newest
`--keep` models are kept, and always the promoted one.

This module imports only `hypehere.domain` from the service (import-linter contract).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
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
from ml.matrix import DEFAULT_CHUNK_ROWS, MatrixBuilder, TrainingMatrix, build_matrix
from ml.registry import (
    MODEL_PREFIX,
    Decision,
    decide,
    prune,
    read_pointer,
    write_atomic,
    write_pointer,
)
from ml.synthetic import SyntheticConfig, generate

LABEL_WINDOW_HOURS = 24

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
# At most 80 x 15 leaves (~AUC of 150 trees at half the predict cost); early stopping on the
# validation AUC usually stops sooner.
NUM_BOOST_ROUND = 80
EARLY_STOPPING_ROUNDS = 10
DEFAULT_MAX_ROWS = 5_000_000


def _sortable(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        aware: datetime = value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite: naive
        return aware.timestamp()
    text = str(value).replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def load_file(path: Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> TrainingMatrix:
    builder = MatrixBuilder(chunk_rows)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            item = json.loads(line)
            if "features" in item:
                vector = [float(x) for x in item["features"]]
            else:
                vector = list(feature_vector(CandidateSignals.from_dict(item["signals"])))
            builder.add(
                vector,
                int(bool(item["label"])),
                str(item["session_id"]),
                _sortable(item.get("shown_at", 0.0)),
            )
    return builder.build()


IMPRESSIONS_QUERY = """
SELECT i.feed_session_id, i.{column}, i.shown_at,
       EXISTS (
         SELECT 1 FROM feed_engagements e
         WHERE e.user_id = i.user_id AND e.post_id = i.post_id
           AND e.occurred_at >= i.shown_at AND e.occurred_at < {window_end}
       ) AS engaged
FROM feed_impressions i
WHERE i.{column} IS NOT NULL {since}
ORDER BY i.shown_at, i.feed_session_id, i.position
"""

# the shown_at of the `max_rows`-th newest impression: the oldest one read
CUTOFF_QUERY = """
SELECT shown_at FROM feed_impressions WHERE {column} IS NOT NULL
ORDER BY shown_at DESC LIMIT 1 OFFSET :offset
"""


def _vector(column: str, value: Any) -> Sequence[float]:
    data = json.loads(value) if isinstance(value, str | bytes) else value
    if column == "signals":  # raw CandidateSignals.to_dict(): features by the shared spec
        return feature_vector(CandidateSignals.from_dict(data))
    return [float(x) for x in data]


def load_database(
    url: str, *, chunk_rows: int = DEFAULT_CHUNK_ROWS, max_rows: int | None = None
) -> TrainingMatrix:
    """Logged impressions + engagements from the service database (Postgres or SQLite).

    Reads `feed_impressions.signals` (the raw `CandidateSignals.to_dict()` logged at
    serving time; features are recomputed here through the shared spec) or, in a schema
    that logs the finished rows, `feed_impressions.features`. Streams: a server-side cursor
    on PostgreSQL (SQLite's cursor steps the same way), `chunk_rows` rows at a time, each
    chunk packed into numpy before the next is fetched. With `max_rows`, only the newest
    impressions from the `max_rows`-th newest one on (whole sessions at the cut)."""
    from sqlalchemy import inspect, text
    from sqlalchemy.ext.asyncio import create_async_engine

    # Label window: an engagement counts if it happened within LABEL_WINDOW_HOURS of showing.
    # Written per dialect, since interval arithmetic differs between Postgres and SQLite.
    if url.startswith("sqlite"):
        window = f"datetime(i.shown_at, '+{LABEL_WINDOW_HOURS} hours')"
    else:
        window = f"i.shown_at + interval '{LABEL_WINDOW_HOURS} hours'"
    builder = MatrixBuilder(chunk_rows)

    async def fetch() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                columns = await connection.run_sync(
                    lambda sync: {c["name"] for c in inspect(sync).get_columns("feed_impressions")}
                )
                column = "signals" if "signals" in columns else "features"
                since, params = "", {}
                if max_rows is not None and max_rows > 0:
                    cutoff = await connection.scalar(
                        text(CUTOFF_QUERY.format(column=column)), {"offset": max_rows - 1}
                    )
                    if cutoff is not None:
                        since, params = "AND i.shown_at >= :cutoff", {"cutoff": cutoff}
                query = text(
                    IMPRESSIONS_QUERY.format(column=column, window_end=window, since=since)
                )
                result = await connection.stream(
                    query.execution_options(yield_per=chunk_rows), params
                )
                async for partition in result.partitions(chunk_rows):
                    for session_id, value, shown_at, engaged in partition:
                        builder.add(
                            _vector(column, value),
                            int(bool(engaged)),
                            str(session_id),
                            _sortable(shown_at),
                        )
        finally:
            await engine.dispose()

    asyncio.run(fetch())
    return builder.build()


def time_split(
    matrix: TrainingMatrix, holdout: float, validation: float = 0.0
) -> tuple[TrainingMatrix, TrainingMatrix, TrainingMatrix]:
    """(train, validation, held-out) by time, whole sessions each: the newest `holdout`
    share of sessions is held out, the `validation` share before it validates."""
    if not 0.0 < holdout < 1.0 or not 0.0 <= validation < 1.0 - holdout:
        raise ValueError("need 0 < holdout < 1 and 0 <= validation < 1 - holdout")
    codes = matrix.groups
    latest = np.full(len(matrix.sessions), -np.inf)
    np.maximum.at(latest, codes, matrix.times)
    present = np.unique(codes)
    names = np.asarray(matrix.sessions, dtype=np.str_)[present] if present.size else present
    ordered = present[np.lexsort((names, latest[present]))]  # by time, then session id
    n = ordered.size
    test_from = int(n * (1.0 - holdout))
    valid_from = int(n * (1.0 - holdout - validation))
    bucket = np.zeros(len(matrix.sessions), dtype=np.int8)
    bucket[ordered[valid_from:test_from]] = 1
    bucket[ordered[test_from:]] = 2
    row_bucket = bucket[codes]
    return matrix.take(row_bucket == 0), matrix.take(row_bucket == 1), matrix.take(row_bucket == 2)


def temporal_split(matrix: TrainingMatrix, holdout: float) -> tuple[TrainingMatrix, TrainingMatrix]:
    """The newest `holdout` share of sessions is the test set."""
    train, _, test = time_split(matrix, holdout)
    return train, test


def _has_both_labels(matrix: TrainingMatrix) -> bool:
    return len(matrix) > 0 and int(matrix.labels.min()) != int(matrix.labels.max())


def fit(
    train: TrainingMatrix,
    valid: TrainingMatrix | None = None,
    *,
    seed: int = 7,
    num_threads: int = 2,
    rounds: int = NUM_BOOST_ROUND,
    early_stopping_rounds: int = EARLY_STOPPING_ROUNDS,
) -> tuple[Any, int]:
    """(booster, trees grown). At most `rounds` trees; with a validation set (both labels
    present), stop once its AUC has not improved for `early_stopping_rounds` rounds; the
    booster then keeps the best iteration only (`best_iteration`)."""
    import lightgbm as lgb

    params = dict(PARAMS, seed=seed, num_threads=num_threads)
    dataset = lgb.Dataset(
        train.features, label=train.labels, feature_name=list(FEATURE_NAMES), free_raw_data=True
    )
    grown = [0]

    def count(env: Any) -> None:
        grown[0] = env.iteration + 1

    if valid is None or not _has_both_labels(valid) or early_stopping_rounds <= 0:
        booster = lgb.train(params, dataset, num_boost_round=rounds, callbacks=[count])
        return booster, grown[0]
    validation = lgb.Dataset(valid.features, label=valid.labels, reference=dataset)
    stop = lgb.early_stopping(early_stopping_rounds, first_metric_only=True, verbose=False)
    booster = lgb.train(
        params,
        dataset,
        num_boost_round=rounds,
        valid_sets=[validation],
        valid_names=["validation"],
        callbacks=[count, stop],
    )
    return booster, grown[0]


@dataclass(frozen=True, slots=True)
class ServingModel:
    """The model servers run now (what a new one must beat)."""

    version: str
    booster: Any


def load_serving_model(model_dir: Path | None, baseline: Path | None) -> ServingModel | None:
    """What `LightGBMRanker` serves: the pointed model, else the baseline (bundled) model;
    None when neither loads with the current feature names (servers use the heuristic)."""
    import lightgbm as lgb

    pointed = read_pointer(model_dir) if model_dir is not None else None
    for path in (pointed, baseline):
        if path is None or not path.is_file():
            continue
        try:
            booster = lgb.Booster(model_file=str(path))
        except Exception as exc:  # servers skip it too
            print(f"serving model {path.name} does not load: {exc!r:.200}", file=sys.stderr)
            continue
        if list(booster.feature_name()) != list(FEATURE_NAMES):
            print(f"serving model {path.name} has other feature names; skipped", file=sys.stderr)
            continue
        return ServingModel(path.stem, booster)
    return None


@dataclass(frozen=True, slots=True)
class TrainingResult:
    booster: Any
    comparison: Comparison
    train_rows: int
    source: str
    validation_rows: int = 0
    best_iteration: int = 0  # trees kept (early stopping's best); 0 = all
    trained_rounds: int = 0  # trees grown before stopping
    max_rounds: int = NUM_BOOST_ROUND
    window: dict[str, Any] | None = None  # the held-out window the figures come from

    @property
    def stopped_early(self) -> bool:
        return self.trained_rounds < self.max_rounds

    def training_summary(self) -> dict[str, Any]:
        return {
            "train_rows": self.train_rows,
            "validation_rows": self.validation_rows,
            "max_rounds": self.max_rounds,
            "trained_rounds": self.trained_rounds,
            "best_iteration": self.best_iteration,
            "stopped_early": self.stopped_early,
        }


def train_and_evaluate(
    matrix: TrainingMatrix,
    *,
    source: str,
    holdout: float = 0.2,
    validation: float = 0.1,
    seed: int = 7,
    num_threads: int = 2,
    rounds: int = NUM_BOOST_ROUND,
    early_stopping_rounds: int = EARLY_STOPPING_ROUNDS,
    serving: ServingModel | None = None,
) -> TrainingResult:
    train, valid, test = time_split(matrix, holdout, validation)
    booster, grown = fit(
        train,
        valid,
        seed=seed,
        num_threads=num_threads,
        rounds=rounds,
        early_stopping_rounds=early_stopping_rounds,
    )
    best = int(booster.best_iteration or 0)
    comparison = compare(
        booster.predict(test.features, num_iteration=best or None, num_threads=num_threads),
        test.features,
        test.labels,
        test.groups,
        serving_scores=(
            None
            if serving is None
            else serving.booster.predict(test.features, num_threads=num_threads)
        ),
        serving_version=None if serving is None else serving.version,
    )
    window = {
        "rule": f"newest {holdout:.0%} of feed sessions by time",
        "from": float(test.times.min()) if len(test) else None,
        "to": float(test.times.max()) if len(test) else None,
    }
    return TrainingResult(
        booster,
        comparison,
        len(train),
        source,
        validation_rows=len(valid),
        best_iteration=best,
        trained_rounds=grown,
        max_rounds=rounds,
        window=window,
    )


def save_model(
    result: TrainingResult,
    *,
    output: Path | None = None,
    output_dir: Path | None = None,
    keep: int = 5,
    decision: Decision | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write the model (+ its JSON card); with `output_dir` and a promoting `decision`,
    move the `current.json` pointer to it. Returns the model path."""
    if output is None:
        if output_dir is None:
            raise ValueError("output or output_dir is required")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        output = output_dir / f"{MODEL_PREFIX}{stamp}.txt"
    status = "ungated" if decision is None else decision.status
    card = {
        "version": output.stem,
        "status": status,
        "trained_at": datetime.now(UTC).isoformat(),
        "objective": PARAMS["objective"],
        "params": PARAMS,
        "feature_names": list(FEATURE_NAMES),
        "source": result.source,
        "train_rows": result.train_rows,
        "training": result.training_summary(),
        "holdout_window": result.window,
        "holdout": result.comparison.to_dict(),
        **({"gate": decision.to_dict()} if decision is not None else {}),
        **(extra or {}),
    }
    # card, then model, then pointer: whatever a server sees next is complete
    write_atomic(output.with_suffix(".json"), json.dumps(card, indent=2) + "\n")
    write_atomic(output, result.booster.model_to_string())
    if output_dir is not None and decision is not None and decision.promoted:
        write_pointer(output, holdout=result.comparison.to_dict())
    if output_dir is not None:
        prune(output_dir, keep)
    return output


def load_training_data(args: argparse.Namespace) -> tuple[TrainingMatrix, str]:
    if args.source == "file":
        if args.impressions is None:
            raise SystemExit("--source file needs --impressions PATH")
        return load_file(
            args.impressions, chunk_rows=args.chunk_rows
        ), f"file:{args.impressions.name}"
    if args.source in ("database", "auto") and args.database_url:
        try:
            matrix = load_database(
                args.database_url, chunk_rows=args.chunk_rows, max_rows=args.max_rows
            )
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
    matrix = build_matrix(generate(config).impressions, chunk_rows=args.chunk_rows)
    return matrix, f"synthetic:seed={args.seed}"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ml.train", description="Train the feed ranker")
    p.add_argument("--source", choices=["auto", "synthetic", "database", "file"], default="auto")
    p.add_argument("--database-url", default=os.environ.get("HYPEHERE_DATABASE_URL"))
    p.add_argument("--impressions", type=Path, help="JSON-lines export (with --source file)")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--output-dir", type=Path, help="write DIR/ranker-<UTC timestamp>.txt, gated")
    out.add_argument("--output", type=Path, help="write exactly this file (no gate)")
    p.add_argument("--baseline-model", type=Path, help="what servers run without a pointer")
    p.add_argument("--min-gain", type=float, default=0.0, help="gate margin per metric")
    p.add_argument("--keep", type=int, default=5, help="models to keep in --output-dir")
    p.add_argument("--min-rows", type=int, default=5000)
    p.add_argument("--min-positives", type=int, default=200)
    p.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, help="newest impressions")
    p.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    p.add_argument("--holdout", type=float, default=0.2)
    p.add_argument("--validation", type=float, default=0.1)
    p.add_argument("--early-stopping-rounds", type=int, default=EARLY_STOPPING_ROUNDS)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--users", type=int, default=SyntheticConfig().users)
    p.add_argument("--posts", type=int, default=SyntheticConfig().posts)
    p.add_argument("--sessions", type=int, default=SyntheticConfig().sessions)
    p.add_argument("--rounds", type=int, default=NUM_BOOST_ROUND, help="at most this many trees")
    p.add_argument("--num-threads", type=int, default=2)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    matrix, source = load_training_data(args)
    if len(matrix) == 0 or matrix.labels.min() == matrix.labels.max():
        print(f"not enough labelled data from {source}", file=sys.stderr)
        return 1
    gated = args.output_dir is not None
    serving = load_serving_model(args.output_dir, args.baseline_model) if gated else None
    result = train_and_evaluate(
        matrix,
        source=source,
        holdout=args.holdout,
        validation=args.validation,
        seed=args.seed,
        num_threads=args.num_threads,
        rounds=args.rounds,
        early_stopping_rounds=args.early_stopping_rounds,
        serving=serving,
    )
    decision = decide(result.comparison, min_gain=args.min_gain) if gated else None
    path = save_model(
        result,
        output=args.output,
        output_dir=args.output_dir,
        keep=args.keep,
        decision=decision,
        extra={"training_seconds": round(time.perf_counter() - started, 2)},
    )
    summary = {
        "model": str(path),
        "source": source,
        "status": "ungated" if decision is None else decision.status,
        "reasons": [] if decision is None else list(decision.reasons),
        **result.training_summary(),
        **result.comparison.to_dict(),
    }
    if decision is not None and not decision.promoted:
        print(f"candidate {path.name} rejected: {'; '.join(decision.reasons)}", file=sys.stderr)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
