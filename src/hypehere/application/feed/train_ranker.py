"""Train a new feed-ranker model (the `train-ranker` job and CLI command).

The training pipeline lives in `ml/`, which the service never imports: the `RankerTrainer`
port runs it out of process (`python -m ml.train`). The new model file lands in the model
directory and goes through the promotion gate: only if it beats the serving model and the
heuristic on the held-out window (AUC and NDCG@10) does the `current.json` pointer move to
it, and every server's `LightGBMRanker` picks it up within its reload interval. A rejected
candidate stays in the directory with a card saying why, and is logged here.
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
    promoted: bool
    reasons: tuple[str, ...] = ()  # why the gate rejected it (empty when promoted)
    serving_version: str | None = None  # the model it was compared with (None: heuristic only)
    serving_auc: float | None = None
    serving_ndcg_at_10: float | None = None
    best_iteration: int = 0  # trees kept by early stopping
    stopped_early: bool = False


class RankerTrainer(Protocol):
    async def train(
        self, *, source: str, impressions_file: str | None = None, seed: int | None = None
    ) -> RankerTrainingReport:
        """Train (early stopping on a validation window), evaluate on the newest held-out
        window, write a versioned model and promote it only if it passes the gate; raise
        `RankerTrainingError` on failure (a rejected candidate is not a failure)."""
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
        emit = log.info if report.promoted else log.warning
        emit(
            "ranker_promoted" if report.promoted else "ranker_candidate_rejected",
            model=report.model_path,
            source=report.source,
            holdout_rows=report.holdout_rows,
            lightgbm_auc=round(report.lightgbm_auc, 4),
            heuristic_auc=round(report.heuristic_auc, 4),
            lightgbm_ndcg_at_10=round(report.lightgbm_ndcg_at_10, 4),
            heuristic_ndcg_at_10=round(report.heuristic_ndcg_at_10, 4),
            serving_version=report.serving_version,
            serving_auc=None if report.serving_auc is None else round(report.serving_auc, 4),
            serving_ndcg_at_10=(
                None if report.serving_ndcg_at_10 is None else round(report.serving_ndcg_at_10, 4)
            ),
            best_iteration=report.best_iteration,
            reasons=list(report.reasons),
        )
        return report
