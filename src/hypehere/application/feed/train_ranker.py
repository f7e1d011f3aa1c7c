"""Train a new feed-ranker model (the `train-ranker` job and CLI command).

The training pipeline lives in `ml/`, which the service never imports: the `RankerTrainer`
port runs it out of process (`python -m ml.train`). The new model file lands in the model
directory, where every server's `LightGBMRanker` picks it up within its reload interval.
"""

from __future__ import annotations

from typing import Protocol

import msgspec
import structlog

log = structlog.get_logger(__name__)


class RankerTrainingError(Exception):
    """Training did not produce a model (the pipeline failed, timed out or had no data)."""


class RankerTrainingReport(msgspec.Struct, frozen=True):
    model_path: str
    source: str
    holdout_rows: int  # held-out impressions the metrics were computed on
    lightgbm_auc: float
    heuristic_auc: float
    lightgbm_ndcg_at_10: float
    heuristic_ndcg_at_10: float


class RankerTrainer(Protocol):
    async def train(
        self, *, source: str, impressions_file: str | None = None, seed: int | None = None
    ) -> RankerTrainingReport:
        """Train, evaluate on a held-out split, write a versioned model; raise
        `RankerTrainingError` on failure."""
        ...


class TrainRankerCommand(msgspec.Struct, frozen=True):
    # auto: logged impressions when there are enough, else synthetic data
    source: str = "auto"
    impressions_file: str | None = None
    seed: int | None = None


class TrainRanker:
    def __init__(self, trainer: RankerTrainer) -> None:
        self._trainer = trainer

    async def execute(self, cmd: TrainRankerCommand) -> RankerTrainingReport:
        report = await self._trainer.train(
            source=cmd.source, impressions_file=cmd.impressions_file, seed=cmd.seed
        )
        log.info(
            "ranker_trained",
            model=report.model_path,
            source=report.source,
            holdout_rows=report.holdout_rows,
            lightgbm_auc=round(report.lightgbm_auc, 4),
            heuristic_auc=round(report.heuristic_auc, 4),
            lightgbm_ndcg_at_10=round(report.lightgbm_ndcg_at_10, 4),
            heuristic_ndcg_at_10=round(report.heuristic_ndcg_at_10, 4),
        )
        return report
