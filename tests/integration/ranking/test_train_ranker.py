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

SMALL = ("--users", "200", "--posts", "2000", "--sessions", "300", "--rounds", "10")


async def test_train_ranker_runs_ml_train_out_of_process_and_servers_pick_the_model_up(
    tmp_path: Path,
) -> None:
    models = tmp_path / "models"
    ranker = LightGBMRanker(model_dir=models, bundled_model=None, reload_interval_seconds=0)
    assert ranker.name == "heuristic"
    trainer = SubprocessRankerTrainer(
        output_dir=models,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        project_dir=find_ml_project(),
        extra_args=(*SMALL, "--num-threads", "1"),
    )
    report = await TrainRanker(trainer).execute(TrainRankerCommand(source="auto", seed=3))

    model = Path(report.model_path)
    assert model.parent == models.resolve()
    assert model.name.startswith("ranker-")
    assert report.source == "synthetic:seed=3"  # no impression log yet: synthetic data
    assert report.holdout_rows > 0
    assert 0.5 < report.lightgbm_auc <= 1.0
    card = json.loads(model.with_suffix(".json").read_text())
    assert card["holdout"]["lightgbm"]["auc"] == report.lightgbm_auc

    signals = CandidateSignals.from_dict(
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
    ranker.score([signals])
    assert (ranker.name, ranker.version) == ("lightgbm", model.stem)


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
