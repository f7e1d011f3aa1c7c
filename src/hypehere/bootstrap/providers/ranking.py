"""Feed ranking: the LightGBM ranker (the promoted model, else the bundled one, else the
heuristic), one per process (APP scope), and gated ranker training (`train-ranker`)."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.adapters.ranking.lightgbm_ranker import LightGBMRanker, bundled_model_path
from hypehere.adapters.ranking.training_process import SubprocessRankerTrainer, find_ml_project
from hypehere.application.feed.ranker import Ranker
from hypehere.application.feed.train_ranker import RankerTrainer, TrainRanker
from hypehere.bootstrap.settings import Settings


def ranker_trainer(settings: Settings) -> SubprocessRankerTrainer:
    return SubprocessRankerTrainer(
        output_dir=settings.effective_ranker_model_dir,
        database_url=settings.effective_database_url,
        project_dir=find_ml_project(),
        baseline_model=bundled_model_path(),
        min_gain=settings.ranker_promotion_min_gain,
        max_rows=settings.ranker_training_max_rows,
    )


class RankingProvider(Provider):
    @provide(scope=Scope.APP)
    def ranker(self, settings: Settings) -> Ranker:
        return LightGBMRanker(
            model_dir=settings.effective_ranker_model_dir,
            bundled_model=bundled_model_path(),
            reload_interval_seconds=settings.ranker_reload_interval_seconds,
            fallback=HeuristicRanker(),
        )

    @provide(scope=Scope.APP)
    def trainer(self, settings: Settings) -> RankerTrainer:
        return ranker_trainer(settings)

    train_ranker = provide(TrainRanker, scope=Scope.REQUEST)
