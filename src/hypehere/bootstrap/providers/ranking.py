"""Feed ranking: the LightGBM ranker (newest model file, else the bundled one, else the
heuristic), one per process (APP scope)."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.adapters.ranking.lightgbm_ranker import LightGBMRanker, bundled_model_path
from hypehere.application.feed.ranker import Ranker
from hypehere.bootstrap.settings import Settings


class RankingProvider(Provider):
    @provide(scope=Scope.APP)
    def ranker(self, settings: Settings) -> Ranker:
        return LightGBMRanker(
            model_dir=settings.effective_ranker_model_dir,
            bundled_model=bundled_model_path(),
            reload_interval_seconds=settings.ranker_reload_interval_seconds,
            fallback=HeuristicRanker(),
        )
