from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pytest
from prometheus_client import REGISTRY

from hypehere.adapters.ranking.features import extract_features
from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.adapters.ranking.lightgbm_ranker import (
    POINTER_NAME,
    Booster,
    LightGBMRanker,
    bundled_model_path,
    load_booster,
    promoted_model,
)
from hypehere.domain.feed.features import FEATURE_COUNT, FEATURE_NAMES, CandidateSignals
from tests.unit.ranking.signals import LANGS, make_signals

pytestmark = pytest.mark.unit


class CountingBooster:
    """Wraps a real booster and counts `predict` calls."""

    def __init__(self, inner: Booster) -> None:
        self.inner = inner
        self.predict_calls = 0
        self.rows_per_call: list[int] = []

    def predict(self, data: Any, **kwargs: Any) -> Any:
        self.predict_calls += 1
        self.rows_per_call.append(len(data))
        return self.inner.predict(data, **kwargs)

    def feature_name(self) -> list[str]:
        return self.inner.feature_name()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def batch(n: int, seed: int = 1) -> list[CandidateSignals]:
    rnd = random.Random(seed)
    return [
        make_signals(
            post_id=f"p{i}",
            author_id=f"a{rnd.randrange(50)}",
            age_hours=rnd.uniform(0, 72),
            like_count=rnd.randrange(100),
            comment_count=rnd.randrange(20),
            author_follower_count=rnd.randrange(1000),
            affinity=float(rnd.randrange(10)),
            post_language=rnd.choice(LANGS),
            is_followed_author=rnd.random() < 0.3,
            has_media=rnd.random() < 0.3,
            content_length=rnd.randrange(1, 2000),
            author_posts_last_7d=rnd.randrange(30),
        )
        for i in range(n)
    ]


def tiny_model(path: Path, *, feature_names: list[str] | None = None, seed: int = 0) -> Path:
    """A small real LightGBM model (random data) written as a text model file."""
    rng = np.random.default_rng(seed)
    names = feature_names or list(FEATURE_NAMES)
    x = rng.random((400, len(names)))
    y = (x[:, 0] + 0.3 * rng.random(400) > 0.6).astype(int)
    data = lgb.Dataset(x, label=y, feature_name=names)
    params = {"objective": "binary", "num_leaves": 4, "verbosity": -1, "seed": seed}
    booster = lgb.train(params, data, num_boost_round=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(path))
    return path


def test_the_bundled_model_ships_with_the_package_and_is_small() -> None:
    path = bundled_model_path()
    assert path.is_file()
    assert path.stat().st_size < 1_000_000
    assert load_booster(path).feature_name() == list(FEATURE_NAMES)


def test_scores_a_500_candidate_batch_with_one_predict_call(tmp_path: Path) -> None:
    boosters: list[CountingBooster] = []

    def loader(path: Path) -> Booster:
        boosters.append(CountingBooster(load_booster(path)))
        return boosters[-1]

    ranker = LightGBMRanker(
        model_dir=tmp_path / "models", bundled_model=bundled_model_path(), loader=loader
    )
    assert (ranker.name, ranker.version) == ("lightgbm", "ranker-bundled")
    candidates = batch(500)
    scores = ranker.score(candidates)

    assert len(boosters) == 1
    assert boosters[0].predict_calls == 1
    assert boosters[0].rows_per_call == [500]
    assert len(scores) == 500
    assert all(0.0 <= s <= 1.0 for s in scores)  # binary objective: probabilities
    expected = boosters[0].inner.predict(extract_features(candidates))
    np.testing.assert_allclose(scores, expected, rtol=1e-6)
    assert scores != pytest.approx(HeuristicRanker().score(candidates))


def test_the_model_prefers_fresh_target_language_posts(tmp_path: Path) -> None:
    ranker = LightGBMRanker(model_dir=tmp_path, bundled_model=bundled_model_path())
    fresh, stale = ranker.score(
        [make_signals(age_hours=1), make_signals(age_hours=60, post_id="p2")]
    )
    assert fresh > stale
    target, foreign = ranker.score(
        [make_signals(post_language="ko"), make_signals(post_language="fr", post_id="p2")]
    )
    assert target > foreign


def test_falls_back_to_the_heuristic_when_no_model_exists(tmp_path: Path) -> None:
    ranker = LightGBMRanker(model_dir=tmp_path / "absent", bundled_model=tmp_path / "none.txt")
    candidates = batch(20)
    assert (ranker.name, ranker.version) == ("heuristic", "heuristic-v1")
    assert ranker.score(candidates) == HeuristicRanker().score(candidates)
    assert ranker.score([]) == []


def test_falls_back_to_the_heuristic_when_the_model_is_corrupt(tmp_path: Path) -> None:
    corrupt = tmp_path / "models" / "ranker-20990101T000000000000Z.txt"
    corrupt.parent.mkdir()
    corrupt.write_text("tree\nversion=v4\nthis is not a model\n")
    promote(corrupt)
    bundled = tmp_path / "bundled.txt"
    bundled.write_bytes(b"\x00\x01garbage")
    ranker = LightGBMRanker(model_dir=corrupt.parent, bundled_model=bundled)
    assert ranker.name == "heuristic"
    assert ranker.score(batch(5)) == HeuristicRanker().score(batch(5))


def test_a_corrupt_promoted_file_falls_back_to_the_bundled_model(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    promote(models / "ranker-20990101T000000000000Z.txt").write_text("garbage")
    ranker = LightGBMRanker(model_dir=models, bundled_model=bundled_model_path())
    assert (ranker.name, ranker.version) == ("lightgbm", "ranker-bundled")


def test_a_model_with_other_feature_names_is_rejected(tmp_path: Path) -> None:
    wrong = [f"f{i}" for i in range(FEATURE_COUNT)]
    path = promote(
        tiny_model(tmp_path / "models" / "ranker-20990101T000000000000Z.txt", feature_names=wrong)
    )
    ranker = LightGBMRanker(model_dir=path.parent, bundled_model=None)
    assert ranker.name == "heuristic"


def test_a_failing_predict_falls_back_for_that_batch(tmp_path: Path) -> None:
    class Broken(CountingBooster):
        def predict(self, data: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    ranker = LightGBMRanker(
        model_dir=None,
        bundled_model=bundled_model_path(),
        loader=lambda p: Broken(load_booster(p)),
    )
    assert ranker.score(batch(3)) == HeuristicRanker().score(batch(3))


def promote(path: Path) -> Path:
    """Point servers at `path` the way `ml.registry.write_pointer` does."""
    (path.parent / POINTER_NAME).write_text(json.dumps({"model": path.name}))
    return path


def test_hot_swaps_the_promoted_model_after_the_interval(tmp_path: Path) -> None:
    models = tmp_path / "models"
    clock = Clock()
    ranker = LightGBMRanker(
        model_dir=models,
        bundled_model=bundled_model_path(),
        reload_interval_seconds=30,
        monotonic=clock,
    )
    candidates = batch(50)
    bundled_scores = ranker.score(candidates)
    assert ranker.version == "ranker-bundled"

    # a newer file that is not promoted (a rejected candidate) is never loaded
    tiny_model(models / "ranker-20261122T030000000000Z.txt", seed=2)
    clock.now += 31
    assert ranker.score(candidates) == bundled_scores
    assert ranker.version == "ranker-bundled"

    newer = promote(tiny_model(models / "ranker-20261122T040000000000Z.txt", seed=1))
    clock.now += 10  # within the interval: the pointer is not read yet
    assert ranker.score(candidates) == bundled_scores
    assert ranker.version == "ranker-bundled"

    clock.now += 25  # interval passed: the next batch picks up the promoted file
    swapped = ranker.score(candidates)
    assert ranker.version == "ranker-20261122T040000000000Z"
    served = REGISTRY.get_sample_value
    assert served("hypehere_ranker_model", {"version": "ranker-20261122T040000000000Z"}) == 1
    assert served("hypehere_ranker_model", {"version": "ranker-bundled"}) == 0
    assert ranker.model_path == newer
    assert swapped == pytest.approx(load_booster(newer).predict(extract_features(candidates)))

    # a promoted but broken file, or a pointer to a missing one: the loaded model keeps serving
    broken = models / "ranker-20261122T050000000000Z.txt"
    broken.write_text("broken")
    promote(broken)
    clock.now += 31
    assert ranker.score(candidates) == swapped
    assert ranker.version == "ranker-20261122T040000000000Z"
    (models / POINTER_NAME).write_text(json.dumps({"model": "ranker-20990101T000000000000Z.txt"}))
    clock.now += 31
    assert ranker.score(candidates) == swapped
    assert ranker.version == "ranker-20261122T040000000000Z"

    # a good one promoted next is picked up on the next interval
    newest = models / "ranker-20261122T060000000000Z.txt"
    shutil.copy(bundled_model_path(), newest)
    promote(newest)
    clock.now += 31
    assert ranker.score(candidates) == bundled_scores
    assert ranker.version == "ranker-20261122T060000000000Z"

    # a rollback: the pointer back to an older model
    promote(newer)
    clock.now += 31
    assert ranker.score(candidates) == swapped
    assert ranker.version == "ranker-20261122T040000000000Z"


@pytest.mark.parametrize(
    "pointer",
    [
        "not json",
        "[]",
        '{"model": 3}',
        '{"other": "ranker-1.txt"}',
        '{"model": "../ranker-1.txt"}',
        '{"model": "/tmp/ranker-1.txt"}',
        '{"model": "model.txt"}',
        '{"model": "ranker-1.json"}',
    ],
)
def test_a_pointer_that_names_no_model_in_the_directory_is_ignored(
    tmp_path: Path, pointer: str
) -> None:
    shutil.copy(bundled_model_path(), tmp_path / "ranker-1.txt")
    (tmp_path / POINTER_NAME).write_text(pointer)
    assert promoted_model(tmp_path) is None
    assert LightGBMRanker(model_dir=tmp_path, bundled_model=None).name == "heuristic"
    (tmp_path / POINTER_NAME).write_text('{"model": "ranker-1.txt"}')
    assert promoted_model(tmp_path) == tmp_path / "ranker-1.txt"
    assert LightGBMRanker(model_dir=tmp_path, bundled_model=None).version == "ranker-1"


def test_signals_with_several_viewers_in_one_batch(tmp_path: Path) -> None:
    ranker = LightGBMRanker(model_dir=tmp_path, bundled_model=bundled_model_path())
    mixed = [replace(c, viewer_target_languages=("ja", "es")) for c in batch(10)] + batch(10)
    assert len(ranker.score(mixed)) == 20
