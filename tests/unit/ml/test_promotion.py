"""The promotion gate, early stopping and the streamed training data (`ml.train`,
`ml.registry`, `ml.matrix`), on small synthetic data where the signal is known."""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hypehere.adapters.ranking.lightgbm_ranker import (
    POINTER_NAME,
    LightGBMRanker,
    bundled_model_path,
    promoted_model,
)
from hypehere.domain.feed.features import FEATURE_COUNT, HEURISTIC_WEIGHT_VECTOR, feature_vector
from ml import registry
from ml.evaluate import Comparison, Metrics
from ml.matrix import MatrixBuilder, TrainingMatrix, build_matrix
from ml.synthetic import Impression, SyntheticDataset
from ml.train import (
    ServingModel,
    TrainingResult,
    load_database,
    load_serving_model,
    save_model,
    time_split,
    train_and_evaluate,
)

pytestmark = pytest.mark.unit

ROUNDS = 40


@pytest.fixture(scope="module")
def data(small_data: SyntheticDataset) -> SyntheticDataset:
    return small_data


@pytest.fixture(scope="module")
def matrix(data: SyntheticDataset) -> TrainingMatrix:
    return build_matrix(data.impressions)


def relabelled(matrix: TrainingMatrix, labels: np.ndarray) -> TrainingMatrix:
    return TrainingMatrix(
        matrix.features, labels.astype(np.int8), matrix.groups, matrix.times, matrix.sessions
    )


def noise(matrix: TrainingMatrix) -> TrainingMatrix:
    """The same rows with coin-flip labels: nothing to learn."""
    rng = np.random.default_rng(0)
    return relabelled(matrix, rng.random(len(matrix)) < float(matrix.labels.mean()))


def train(
    matrix: TrainingMatrix, serving: ServingModel | None = None, **kwargs: Any
) -> TrainingResult:
    options = {"rounds": ROUNDS, "num_threads": 1, **kwargs}
    return train_and_evaluate(matrix, source="synthetic", serving=serving, **options)


def publish(result: TrainingResult, models: Path) -> Path:
    """Save and promote unconditionally (how a previous run left the directory)."""
    path = save_model(result, output_dir=models, decision=registry.Decision(promoted=True))
    assert promoted_model(models) == path
    return path


# --- the gate


def test_a_model_better_than_the_serving_one_and_the_heuristic_is_promoted_with_its_figures(
    tmp_path: Path, matrix: TrainingMatrix
) -> None:
    models = tmp_path / "models"
    weak = publish(train(noise(matrix)), models)  # serving: learned from coin flips
    server = LightGBMRanker(model_dir=models, bundled_model=None, reload_interval_seconds=0)
    assert server.version == weak.stem

    serving = load_serving_model(models, baseline=None)
    assert serving is not None and serving.version == weak.stem
    result = train(matrix, serving)
    decision = registry.decide(result.comparison)
    path = save_model(result, output_dir=models, decision=decision)

    c = result.comparison
    assert c.serving is not None and c.serving_version == weak.stem
    assert c.lightgbm.auc > c.serving.auc and c.lightgbm.auc > c.heuristic.auc
    assert c.lightgbm.ndcg_at_10 > c.serving.ndcg_at_10
    assert c.lightgbm.ndcg_at_10 > c.heuristic.ndcg_at_10
    assert decision == registry.Decision(promoted=True)
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["status"] == "promoted"
    assert card["gate"] == {"promoted": True, "reasons": []}
    for name in ("lightgbm", "heuristic", "serving"):
        assert card["holdout"][name] == {
            "auc": getattr(c, name).auc,
            "ndcg_at_10": getattr(c, name).ndcg_at_10,
        }
    assert card["holdout"]["serving_version"] == weak.stem
    assert card["holdout"]["rows"] == c.rows > 0
    assert card["holdout_window"]["from"] >= matrix.times.min()
    assert card["holdout_window"]["to"] == matrix.times.max()  # the newest sessions
    assert json.loads((models / POINTER_NAME).read_text())["model"] == path.name

    server.refresh(force=True)
    assert server.version == path.stem


def test_a_model_no_better_than_the_serving_one_is_rejected_and_servers_keep_the_old_one(
    tmp_path: Path, matrix: TrainingMatrix
) -> None:
    models = tmp_path / "models"
    serving_path = publish(train(matrix), models)
    server = LightGBMRanker(model_dir=models, bundled_model=None, reload_interval_seconds=0)
    assert server.version == serving_path.stem

    # the same data and seed: an identical model, so equal figures, which is not better
    result = train(matrix, load_serving_model(models, baseline=None))
    decision = registry.decide(result.comparison)
    path = save_model(result, output_dir=models, decision=decision)

    assert result.comparison.serving == result.comparison.lightgbm
    assert not decision.promoted
    assert any(f"serving model ({serving_path.stem})" in r for r in decision.reasons)
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["status"] == "rejected"
    assert card["gate"]["reasons"] == list(decision.reasons)
    assert path.is_file()  # kept as a candidate
    assert json.loads((models / POINTER_NAME).read_text())["model"] == serving_path.name

    server.refresh(force=True)
    assert server.version == serving_path.stem  # not the newer, rejected file


def test_a_model_that_cannot_beat_the_heuristic_is_rejected(matrix: TrainingMatrix) -> None:
    # the label IS the heuristic's top decile: the heuristic ranks perfectly (AUC 1, NDCG 1)
    h = matrix.features.astype(np.float64) @ np.asarray(HEURISTIC_WEIGHT_VECTOR)
    perfect = relabelled(matrix, h > np.quantile(h, 0.9))
    result = train(perfect)
    assert result.comparison.heuristic == Metrics(1.0, 1.0)
    decision = registry.decide(result.comparison)
    assert not decision.promoted
    assert any("heuristic" in reason for reason in decision.reasons)


def comparison(model: Metrics, heuristic: Metrics, serving: Metrics | None = None) -> Comparison:
    return Comparison(10, 2, 0.1, model, heuristic, serving, "ranker-old" if serving else None)


def test_the_gate_needs_both_metrics_against_both_opponents() -> None:
    good, base = Metrics(0.8, 0.6), Metrics(0.7, 0.5)
    assert registry.decide(comparison(good, base, base)).promoted
    assert registry.decide(comparison(good, base)).promoted  # nothing served but heuristic

    only_auc = registry.decide(comparison(Metrics(0.8, 0.5), base, base))
    assert not only_auc.promoted
    assert only_auc.reasons == (
        "ndcg_at_10 0.5000 does not beat the serving model (ranker-old)'s 0.5000",
        "ndcg_at_10 0.5000 does not beat the heuristic's 0.5000",
    )
    worse_than_serving = registry.decide(comparison(good, base, Metrics(0.9, 0.7)))
    assert len(worse_than_serving.reasons) == 2
    assert all("serving model" in r for r in worse_than_serving.reasons)

    assert not registry.decide(comparison(good, base, base), min_gain=0.1).promoted
    assert registry.decide(comparison(good, base, base), min_gain=0.05).promoted

    undefined = registry.decide(comparison(Metrics(math.nan, math.nan), base, base))
    assert not undefined.promoted
    assert len(undefined.reasons) == 2  # said once per metric, not once per opponent


# --- the pointer and the model directory


def test_pruning_keeps_the_promoted_model_however_old(
    tmp_path: Path, data: SyntheticDataset
) -> None:
    result = train(build_matrix(data.impressions[:6000]), rounds=5)
    first = publish(result, tmp_path)
    rejected = registry.Decision(promoted=False, reasons=("test",))
    for _ in range(3):
        save_model(result, output_dir=tmp_path, keep=2, decision=rejected)
    names = sorted(p.name for p in tmp_path.glob("ranker-*.txt"))
    assert len(names) == 3 and first.name in names
    assert promoted_model(tmp_path) == first


def test_the_service_and_the_pipeline_read_the_pointer_alike(tmp_path: Path) -> None:
    (tmp_path / "ranker-1.txt").write_text("x")
    for body in ['{"model": "ranker-1.txt"}', '{"model": "../ranker-1.txt"}', "{", '{"m": 1}']:
        (tmp_path / POINTER_NAME).write_text(body)
        assert registry.read_pointer(tmp_path) == promoted_model(tmp_path)
    with pytest.raises(ValueError, match="not a versioned model"):
        registry.write_pointer(tmp_path / "other.txt")
    with pytest.raises(FileNotFoundError):
        registry.write_pointer(tmp_path / "ranker-2.txt")


def test_a_manual_promote_rolls_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("ranker-1", "ranker-2"):
        (tmp_path / f"{name}.txt").write_text("x")
        (tmp_path / f"{name}.json").write_text(json.dumps({"status": "rejected"}))
    registry.write_pointer(tmp_path / "ranker-2.txt")
    assert registry.main(["promote", "ranker-1.txt", "--model-dir", str(tmp_path)]) == 0
    assert promoted_model(tmp_path) == tmp_path / "ranker-1.txt"
    card = json.loads((tmp_path / "ranker-1.json").read_text())
    assert (card["status"], card["promoted_by"]) == ("promoted", "manual")
    capsys.readouterr()
    assert registry.main(["status", "--model-dir", str(tmp_path)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["current"] == "ranker-1.txt"
    assert [m["model"] for m in status["models"]] == ["ranker-2.txt", "ranker-1.txt"]


# --- validation split and early stopping


def test_the_splits_are_successive_time_windows_of_whole_sessions(matrix: TrainingMatrix) -> None:
    train_m, valid, test = time_split(matrix, 0.2, 0.1)
    assert len(train_m) + len(valid) + len(test) == len(matrix)
    assert train_m.times.max() <= valid.times.min()
    assert valid.times.max() <= test.times.min()
    sessions = [set(m.session_ids()) for m in (train_m, valid, test)]
    assert not sessions[0] & sessions[1] and not sessions[1] & sessions[2]
    assert len(sessions[2]) == len(set(matrix.session_ids())) - int(
        0.8 * len(set(matrix.session_ids()))
    )


def test_early_stopping_stops_when_the_validation_auc_stops_improving(
    matrix: TrainingMatrix,
) -> None:
    stopped = train(noise(matrix), rounds=200, early_stopping_rounds=5)
    assert stopped.stopped_early
    assert stopped.trained_rounds == stopped.best_iteration + 5
    assert stopped.trained_rounds < 200
    assert stopped.booster.num_trees() == stopped.best_iteration  # only the best kept
    summary = stopped.training_summary()
    assert summary["stopped_early"] is True and summary["validation_rows"] > 0

    full = train(noise(matrix), rounds=20, early_stopping_rounds=0)  # no early stopping
    assert (full.trained_rounds, full.booster.num_trees(), full.stopped_early) == (20, 20, False)


# --- streamed data = in-memory data


def test_chunked_matrices_train_the_same_model_as_one_in_memory_matrix(
    data: SyntheticDataset,
) -> None:
    rows = [
        (feature_vector(i.signals), i.label, i.session_id, i.shown_at_hours)
        for i in data.impressions
    ]
    sessions = list(dict.fromkeys(r[2] for r in rows))
    code = {s: n for n, s in enumerate(sessions)}
    in_memory = TrainingMatrix(  # everything at once, as the loader did before streaming
        np.asarray([r[0] for r in rows], dtype=np.float32),
        np.asarray([r[1] for r in rows], dtype=np.int8),
        np.asarray([code[r[2]] for r in rows], dtype=np.int32),
        np.asarray([r[3] for r in rows], dtype=np.float64),
        tuple(sessions),
    )
    builder = MatrixBuilder(chunk_rows=997)  # a prime: chunks end mid-session
    builder.extend(rows)
    builder.add([1.0] * (FEATURE_COUNT - 1), 1, "old-spec", 0.0)  # skipped
    streamed = builder.build()
    assert builder.skipped == 1
    np.testing.assert_array_equal(streamed.features, in_memory.features)
    np.testing.assert_array_equal(streamed.labels, in_memory.labels)
    np.testing.assert_array_equal(streamed.times, in_memory.times)
    assert streamed.session_ids() == in_memory.session_ids()

    a, b = train(in_memory), train(streamed)
    assert a.comparison == b.comparison
    assert a.booster.model_to_string() == b.booster.model_to_string()


def _log(path: Path, data: Sequence[Impression]) -> None:
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE feed_impressions (id TEXT PRIMARY KEY, user_id TEXT, post_id TEXT,
          author_id TEXT, feed_session_id TEXT, position INTEGER, score FLOAT,
          signals JSON, ranker TEXT, shown_at DATETIME);
        CREATE TABLE feed_engagements (id TEXT PRIMARY KEY, user_id TEXT, post_id TEXT,
          author_id TEXT, kind TEXT, occurred_at DATETIME);
        """
    )
    start = datetime(2026, 11, 1, tzinfo=UTC)

    def ts(moment: datetime) -> str:
        return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    for n, imp in enumerate(data):
        shown = start + timedelta(hours=imp.shown_at_hours)
        db.execute(
            "INSERT INTO feed_impressions VALUES (?,?,?,?,?,?,?,?,?,?)",
            (f"i{n}", imp.user_id, imp.post_id, imp.signals.author_id, imp.session_id,
             imp.position, 0.5, json.dumps(imp.signals.to_dict()), "x", ts(shown)),
        )  # fmt: skip
        if imp.label:
            db.execute(
                "INSERT INTO feed_engagements VALUES (?,?,?,?,?,?)",
                (f"e{n}", imp.user_id, imp.post_id, "a", "like", ts(shown + timedelta(hours=1))),
            )
    db.commit()
    db.close()


def test_the_database_is_read_in_chunks_with_the_same_result_and_the_newest_rows_first(
    tmp_path: Path, data: SyntheticDataset
) -> None:
    # the log of a world where a user never sees one post twice within a day (labels match)
    seen: set[tuple[str, str]] = set()
    sample = []
    for imp in data.impressions[:3000]:
        if (imp.user_id, imp.post_id) not in seen:
            seen.add((imp.user_id, imp.post_id))
            sample.append(imp)
    _log(tmp_path / "log.sqlite3", sample)
    url = f"sqlite+aiosqlite:///{tmp_path / 'log.sqlite3'}"

    whole = load_database(url, chunk_rows=1_000_000)
    chunked = load_database(url, chunk_rows=7)
    assert len(whole) == len(sample)
    np.testing.assert_array_equal(chunked.features, whole.features)
    np.testing.assert_array_equal(chunked.labels, whole.labels)
    np.testing.assert_array_equal(chunked.times, whole.times)
    assert chunked.session_ids() == whole.session_ids()
    assert int(whole.labels.sum()) == sum(i.label for i in sample)

    newest = load_database(url, chunk_rows=7, max_rows=100)
    cutoff = np.sort(whole.times)[-100]
    assert len(newest) == int((whole.times >= cutoff).sum()) >= 100
    assert newest.times.min() == cutoff


def test_the_serving_model_is_what_servers_would_load(tmp_path: Path) -> None:
    bundled = bundled_model_path()
    assert load_serving_model(tmp_path, baseline=None) is None  # servers: the heuristic
    serving = load_serving_model(tmp_path, baseline=bundled)
    assert serving is not None and serving.version == "ranker-bundled"

    broken = tmp_path / "ranker-2.txt"
    broken.write_text("not a model")
    registry.write_pointer(broken)
    serving = load_serving_model(tmp_path, baseline=bundled)  # servers skip it too
    assert serving is not None and serving.version == "ranker-bundled"

    good = tmp_path / "ranker-3.txt"
    shutil.copy(bundled, good)
    registry.write_pointer(good)
    serving = load_serving_model(tmp_path, baseline=bundled)
    assert serving is not None and serving.version == "ranker-3"
