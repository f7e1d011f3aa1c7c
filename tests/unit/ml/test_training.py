from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hypehere.adapters.ranking.lightgbm_ranker import LightGBMRanker
from hypehere.domain.feed.features import FEATURE_COUNT, feature_vector
from ml.evaluate import auc, ndcg_at_k
from ml.matrix import build_matrix
from ml.synthetic import SyntheticConfig, generate
from ml.train import load_file, main, save_model, temporal_split, train_and_evaluate
from tests.unit.ml.conftest import SMALL

pytestmark = pytest.mark.unit


def test_the_generator_is_deterministic(small_data) -> None:  # type: ignore[no-untyped-def]
    again = generate(SMALL)
    assert again.impressions[:200] == small_data.impressions[:200]
    assert len(again.impressions) == len(small_data.impressions)
    other = generate(SyntheticConfig(users=300, posts=3000, sessions=50, seed=12))
    assert other.impressions[:50] != small_data.impressions[:50]
    assert 0.02 < small_data.positive_rate < 0.3


def test_a_model_trained_on_synthetic_data_beats_the_heuristic(small_data) -> None:  # type: ignore[no-untyped-def]
    matrix = build_matrix(small_data.impressions)
    assert matrix.features.shape == (len(small_data.impressions), FEATURE_COUNT)
    result = train_and_evaluate(matrix, source="synthetic", rounds=80, num_threads=1)
    c = result.comparison
    assert c.lightgbm.auc > c.heuristic.auc
    assert c.lightgbm.auc > 0.7
    assert c.lightgbm.ndcg_at_10 > 0.0


def test_the_held_out_split_is_the_newest_sessions(small_data) -> None:  # type: ignore[no-untyped-def]
    matrix = build_matrix(small_data.impressions)
    train, test = temporal_split(matrix, 0.2)
    assert len(train) + len(test) == len(matrix)
    assert not set(train.session_ids()) & set(test.session_ids())
    assert train.times.max() <= test.times.min()


def test_metrics_on_known_cases() -> None:
    assert auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5
    groups = ["a", "a", "a", "b", "b"]
    assert ndcg_at_k([1, 0, 0, 0, 1], [0.9, 0.5, 0.1, 0.9, 0.1], groups) == pytest.approx(
        (1.0 + 1 / np.log2(3)) / 2
    )
    # a group without positives is skipped
    assert ndcg_at_k([0, 0, 1], [0.3, 0.2, 0.1], ["a", "a", "b"]) == 1.0


def test_training_from_an_exported_impressions_file_writes_a_loadable_versioned_model(
    tmp_path: Path, small_data
) -> None:  # type: ignore[no-untyped-def]
    export = tmp_path / "impressions.jsonl"
    with export.open("w") as handle:
        for i, imp in enumerate(small_data.impressions[:9000]):
            row = {"session_id": imp.session_id, "label": imp.label, "shown_at": imp.shown_at_hours}
            if i % 2:
                row["signals"] = imp.signals.to_dict()
            else:
                row["features"] = list(feature_vector(imp.signals))
            handle.write(json.dumps(row) + "\n")
    loaded = load_file(export)
    np.testing.assert_allclose(
        loaded.features, build_matrix(small_data.impressions[:9000]).features, rtol=1e-6
    )

    models = tmp_path / "models"
    ranker = LightGBMRanker(model_dir=models, bundled_model=None, reload_interval_seconds=0)
    assert ranker.name == "heuristic"
    args = ["--source", "file", "--impressions", str(export), "--output-dir", str(models)]
    code = main([*args, "--rounds", "20", "--num-threads", "1"])
    assert code == 0
    written = sorted(models.glob("ranker-*.txt"))
    assert len(written) == 1
    card = json.loads(written[0].with_suffix(".json").read_text())
    assert card["source"] == "file:impressions.jsonl"
    assert card["holdout"]["lightgbm"]["auc"] > 0.5
    assert not list(models.glob(".tmp-*"))  # written atomically, nothing left behind

    ranker.score([small_data.impressions[0].signals])
    assert (ranker.name, ranker.version) == ("lightgbm", written[0].stem)


def test_save_model_keeps_only_the_newest_models(tmp_path: Path, small_data) -> None:  # type: ignore[no-untyped-def]
    matrix = build_matrix(small_data.impressions[:6000])
    result = train_and_evaluate(matrix, source="synthetic", rounds=5, num_threads=1)
    for _ in range(4):
        save_model(result, output_dir=tmp_path, keep=2)
    assert len(list(tmp_path.glob("ranker-*.txt"))) == 2
    assert len(list(tmp_path.glob("ranker-*.json"))) == 2


def test_training_data_from_the_impression_log(tmp_path: Path, small_data) -> None:  # type: ignore[no-untyped-def]
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from ml.train import load_database

    path = tmp_path / "log.sqlite3"
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
    shown = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def ts(moment: datetime) -> str:  # how SQLAlchemy's DateTime stores it on SQLite
        return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    imps = small_data.impressions[:4]
    for n, imp in enumerate(imps):
        db.execute(
            "INSERT INTO feed_impressions VALUES (?,?,?,?,?,?,?,?,?,?)",
            (f"i{n}", "viewer", imp.post_id, imp.signals.author_id, "s1", n, 0.5,
             json.dumps(imp.signals.to_dict()), "lightgbm:x", ts(shown)),
        )  # fmt: skip
    engagements = [
        (imps[0].post_id, shown + timedelta(hours=1)),  # engaged after being shown
        (imps[1].post_id, shown - timedelta(hours=1)),  # before: not caused by the feed
        (imps[2].post_id, shown + timedelta(hours=30)),  # too late for the label window
    ]
    for n, (post_id, at) in enumerate(engagements):
        db.execute(
            "INSERT INTO feed_engagements VALUES (?,?,?,?,?,?)",
            (f"e{n}", "viewer", post_id, "a", "like", ts(at)),
        )
    db.commit()
    db.close()

    matrix = load_database(f"sqlite+aiosqlite:///{path}")
    assert matrix.labels.tolist() == [1, 0, 0, 0]
    assert matrix.session_ids() == ["s1"] * 4
    np.testing.assert_allclose(matrix.features, build_matrix(imps).features, rtol=1e-6)
