from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hypehere.adapters.ranking.lightgbm_ranker import bundled_model_path
from hypehere.application.feed.ranker import Ranker
from hypehere.application.feed.train_ranker import TrainRanker
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.providers.ranking import ranker_trainer
from tests import conftest
from tests.unit.ranking.signals import make_signals

pytestmark = pytest.mark.integration


async def test_the_container_serves_the_bundled_model_then_the_promoted_one(
    tmp_path: Path,
) -> None:
    models = tmp_path / "models"
    settings = conftest.test_settings(
        tmp_path, ranker_model_dir=models, ranker_reload_interval_seconds=0
    )
    container = make_container(settings, web=False)
    try:
        ranker = await container.get(Ranker)
        assert (ranker.name, ranker.version) == ("lightgbm", "ranker-bundled")
        assert ranker is await container.get(Ranker)  # one per process
        async with container() as request:
            assert isinstance(await request.get(TrainRanker), TrainRanker)

        models.mkdir()
        shutil.copy(bundled_model_path(), models / "ranker-20990101T000000000000Z.txt")
        assert len(ranker.score([make_signals()])) == 1
        assert ranker.version == "ranker-bundled"  # a newer file alone is not promoted
        (models / "current.json").write_text('{"model": "ranker-20990101T000000000000Z.txt"}')
        assert len(ranker.score([make_signals()])) == 1
        assert ranker.version == "ranker-20990101T000000000000Z"
    finally:
        await container.close()


def test_the_model_directory_defaults_under_var_dir(tmp_path: Path) -> None:
    assert conftest.test_settings(tmp_path).effective_ranker_model_dir == tmp_path / "models"


def test_training_is_gated_against_the_bundled_model_with_the_settings(tmp_path: Path) -> None:
    settings = conftest.test_settings(
        tmp_path, ranker_promotion_min_gain=0.005, ranker_training_max_rows=200_000
    )
    argv = ranker_trainer(settings).command(source="auto")
    options = dict(zip(argv[3::2], argv[4::2], strict=True))  # after `python -m ml.train`
    assert options["--baseline-model"] == str(bundled_model_path().resolve())
    assert options["--output-dir"] == str((tmp_path / "models").resolve())
    assert (options["--min-gain"], options["--max-rows"]) == ("0.005", "200000")
