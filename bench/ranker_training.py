"""Ranker training memory: peak RSS of reading the impression log, streamed vs all at once.

    .venv/bin/python -m bench ranker_training fill --database PATH [--impressions 1500000]
    .venv/bin/python -m bench ranker_training measure --database PATH [--train]

`fill` writes a SQLite impression log of realistic shape: synthetic feed sessions
(`ml.synthetic`, 30 candidates each, the raw `CandidateSignals` JSON per row as the feed logs
it), in batches of independent worlds spread over time, with an engagement row for every
engaged impression. `measure` runs each loader in a fresh process (so peak RSS, `ru_maxrss`,
is that loader's own) and prints a table: `streamed` is `ml.train.load_database` (a cursor
read `--chunk-rows` at a time into numpy chunks); `all-at-once` is the loader it replaced
(kept below, verbatim in substance: every row fetched into a list, then a Python list of
floats per row, then one `np.asarray`). With `--train`, each process also fits the model
(time split, early stopping) so the figure is the whole job's peak.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ml.matrix import TrainingMatrix, matrix_from_rows
from ml.synthetic import SyntheticConfig, generate
from ml.train import IMPRESSIONS_QUERY, LABEL_WINDOW_HOURS, _sortable, _vector, load_database

SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_impressions (id TEXT PRIMARY KEY, user_id TEXT, post_id TEXT,
  author_id TEXT, feed_session_id TEXT, position INTEGER, score FLOAT, signals JSON,
  ranker TEXT, shown_at DATETIME);
CREATE INDEX IF NOT EXISTS ix_feed_impressions_user_id_shown_at
  ON feed_impressions (user_id, shown_at);
CREATE TABLE IF NOT EXISTS feed_engagements (id TEXT PRIMARY KEY, user_id TEXT, post_id TEXT,
  author_id TEXT, kind TEXT, occurred_at DATETIME);
CREATE INDEX IF NOT EXISTS ix_feed_engagements_user_id_occurred_at
  ON feed_engagements (user_id, occurred_at);
"""
START = datetime(2026, 1, 1, tzinfo=UTC)


def _ts(moment: datetime) -> str:  # how SQLAlchemy's DateTime stores it on SQLite
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def fill(path: Path, impressions: int, sessions_per_batch: int = 2000) -> int:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    written, batch = 0, 0
    while written < impressions:
        data = generate(SyntheticConfig(sessions=sessions_per_batch, seed=100 + batch))
        offset = timedelta(days=14 * batch)
        rows, engagements = [], []
        for n, imp in enumerate(data.impressions[: impressions - written]):
            shown = START + offset + timedelta(hours=imp.shown_at_hours)
            user, post = f"b{batch}-{imp.user_id}", f"b{batch}-{imp.post_id}"
            rows.append(
                (f"b{batch}-i{n}", user, post, imp.signals.author_id, f"b{batch}-{imp.session_id}",
                 imp.position, 0.5, json.dumps(imp.signals.to_dict()), "lightgbm:x", _ts(shown))
            )  # fmt: skip
            if imp.label:
                at = _ts(shown + timedelta(hours=1))
                engagements.append((f"b{batch}-e{n}", user, post, "a", "like", at))
        db.executemany("INSERT INTO feed_impressions VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        db.executemany("INSERT INTO feed_engagements VALUES (?,?,?,?,?,?)", engagements)
        db.commit()
        written += len(rows)
        batch += 1
        print(f"{written} impressions", file=sys.stderr)
    db.close()
    return written


def load_all_at_once(url: str) -> TrainingMatrix:
    """The loader before streaming: `result.all()`, then Python lists, then numpy."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    window = f"datetime(i.shown_at, '+{LABEL_WINDOW_HOURS} hours')"

    async def fetch() -> list[Any]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                query = IMPRESSIONS_QUERY.format(column="signals", window_end=window, since="")
                return list((await connection.execute(text(query))).all())
        finally:
            await engine.dispose()

    fetched = asyncio.run(fetch())
    features: list[Sequence[float]] = []
    rest: list[tuple[int, str, float]] = []
    for session_id, value, shown_at, engaged in fetched:
        features.append(list(_vector("signals", value)))
        rest.append((int(bool(engaged)), str(session_id), _sortable(shown_at)))
    return matrix_from_rows(
        (vector, label, session, at)
        for vector, (label, session, at) in zip(features, rest, strict=True)
    )


def run_one(mode: str, url: str, chunk_rows: int, train: bool) -> dict[str, Any]:
    started = time.perf_counter()
    if mode == "streamed":
        matrix = load_database(url, chunk_rows=chunk_rows)
    else:
        matrix = load_all_at_once(url)
    loaded = time.perf_counter() - started
    result: dict[str, Any] = {
        "mode": mode,
        "rows": len(matrix),
        "positives": int(matrix.labels.sum()),
        "load_seconds": round(loaded, 1),
        "load_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if train:
        from ml.train import train_and_evaluate

        trained = train_and_evaluate(matrix, source="database", num_threads=1)
        result.update(
            train_seconds=round(time.perf_counter() - started - loaded, 1),
            auc=round(trained.comparison.lightgbm.auc, 4),
            ndcg_at_10=round(trained.comparison.lightgbm.ndcg_at_10, 4),
            heuristic_auc=round(trained.comparison.heuristic.auc, 4),
            heuristic_ndcg_at_10=round(trained.comparison.heuristic.ndcg_at_10, 4),
            best_iteration=trained.best_iteration,
            trained_rounds=trained.trained_rounds,
            peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ranker_training", description=__doc__)
    parser.add_argument("action", choices=["fill", "measure", "one"])
    parser.add_argument("--database", type=Path, required=True, help="SQLite file")
    parser.add_argument("--impressions", type=int, default=1_500_000)
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--mode", choices=["streamed", "all-at-once"], default="streamed")
    parser.add_argument("--train", action="store_true")
    args = parser.parse_args(argv)
    url = f"sqlite+aiosqlite:///{args.database.resolve()}"
    if args.action == "fill":
        print(json.dumps({"impressions": fill(args.database, args.impressions)}))
        return 0
    if args.action == "one":
        print(json.dumps(run_one(args.mode, url, args.chunk_rows, args.train)))
        return 0
    for mode in ("streamed", "all-at-once"):
        argv_one = ["one", "--database", str(args.database), "--mode", mode]
        argv_one += ["--chunk-rows", str(args.chunk_rows)] + (["--train"] if args.train else [])
        out = subprocess.run(
            [sys.executable, "-m", "bench.ranker_training", *argv_one],
            check=True,
            capture_output=True,
            text=True,
        )
        print(out.stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
