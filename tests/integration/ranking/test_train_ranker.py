from __future__ import annotations

import json
from pathlib import Path

import pytest

from hypehere.adapters.ranking.lightgbm_ranker import LightGBMRanker
from hypehere.adapters.ranking.training_process import SubprocessRankerTrainer, find_ml_project
from hypehere.application.feed.train_ranker import (
    RankerTrainingError,
    TrainRanker,
    TrainRankerCommand,
)
from hypehere.domain.feed.features import CandidateSignals

pytestmark = pytest.mark.integration

# big enough for the model to beat the heuristic on this seed's held-out window
SMALL = ("--users", "300", "--posts", "3000", "--sessions", "800", "--num-threads", "1")
SIGNALS = CandidateSignals.from_dict(
    {
        "post_id": "p",
        "author_id": "a",
        "age_hours": 1.0,
        "like_count": 3,
        "comment_count": 1,
        "author_follower_count": 10,
        "affinity": 2.0,
        "post_language": "ko",
        "viewer_native_language": "en",
        "viewer_target_languages": ["ko"],
        "is_followed_author": True,
        "has_media": False,
        "content_length": 100,
        "author_posts_last_7d": 2,
    }
)


async def test_train_ranker_promotes_a_better_model_and_servers_keep_it_after_a_rejection(
    tmp_path: Path,
) -> None:
    models = tmp_path / "models"
    ranker = LightGBMRanker(model_dir=models, bundled_model=None, reload_interval_seconds=0)
    assert ranker.name == "heuristic"
    trainer = SubprocessRankerTrainer(
        output_dir=models,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        project_dir=find_ml_project(),
        extra_args=SMALL,
    )
    report = await TrainRanker(trainer).execute(TrainRankerCommand(source="auto", seed=11))

    model = Path(report.model_path)
    assert model.parent == models.resolve()
    assert model.name.startswith("ranker-")
    assert report.source == "synthetic:seed=11"  # no impression log yet: synthetic data
    assert report.holdout_rows > 0
    assert report.promoted, report.reasons
    assert report.serving_version is None  # nothing served but the heuristic
    assert report.lightgbm_auc > report.heuristic_auc
    assert report.lightgbm_ndcg_at_10 > report.heuristic_ndcg_at_10
    card = json.loads(model.with_suffix(".json").read_text())
    assert card["status"] == "promoted"
    assert card["holdout"]["lightgbm"]["auc"] == report.lightgbm_auc
    assert card["gate"] == {"promoted": True, "reasons": []}
    assert json.loads((models / "current.json").read_text())["model"] == model.name

    ranker.score([SIGNALS])
    assert (ranker.name, ranker.version) == ("lightgbm", model.stem)

    # the same data and seed again: an identical model, which does not beat the serving one
    again = await TrainRanker(trainer).execute(TrainRankerCommand(source="auto", seed=11))
    assert not again.promoted
    assert again.serving_version == model.stem
    assert again.serving_auc == again.lightgbm_auc
    assert any("serving model" in reason for reason in again.reasons)
    rejected = Path(again.model_path)
    assert rejected != model
    assert rejected.with_suffix(".txt").read_text().startswith("tree")  # kept as a candidate
    rejected_card = json.loads(rejected.with_suffix(".json").read_text())
    assert rejected_card["status"] == "rejected"
    assert rejected_card["gate"]["reasons"] == list(again.reasons)
    assert rejected_card["holdout"]["serving_version"] == model.stem
    assert json.loads((models / "current.json").read_text())["model"] == model.name

    ranker.score([SIGNALS])
    assert ranker.version == model.stem  # still the promoted model, not the newest file


async def test_a_failing_training_run_raises(tmp_path: Path) -> None:
    trainer = SubprocessRankerTrainer(
        output_dir=tmp_path,
        database_url="sqlite+aiosqlite:///x.sqlite3",
        project_dir=find_ml_project(),
    )
    with pytest.raises(RankerTrainingError, match="needs --impressions"):
        await trainer.train(source="file")


async def test_without_the_ml_pipeline_training_is_refused(tmp_path: Path) -> None:
    trainer = SubprocessRankerTrainer(
        output_dir=tmp_path, database_url="sqlite+aiosqlite:///x.sqlite3", project_dir=None
    )
    with pytest.raises(RankerTrainingError, match="not available"):
        await trainer.train(source="synthetic")
