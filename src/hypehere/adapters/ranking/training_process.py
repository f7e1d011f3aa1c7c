"""`RankerTrainer` that runs the `ml/` pipeline as a subprocess (`python -m ml.train`).

Why a subprocess: the service must not import `ml/` (import-linter contract; `ml/` is the
offline pipeline and is not shipped in the wheel), and training is CPU- and memory-heavy
work that should not run inside a server or worker's event loop. The child inherits the
environment (plus the database URL in `HYPEHERE_DATABASE_URL`, not on the command line, so
credentials do not show in `ps`) and the current directory (so a relative SQLite path means
the same file), with the directory holding `ml/` on `PYTHONPATH`.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import structlog

from hypehere.application.feed.train_ranker import (
    RankerTrainingError,
    RankerTrainingReport,
)

log = structlog.get_logger(__name__)


def find_ml_project(*, cwd: Path | None = None) -> Path | None:
    """The directory that contains `ml/train.py`: the source checkout this package runs from,
    else the current directory. None when the pipeline is not available (a wheel install)."""
    for root in (Path(__file__).resolve().parents[4], cwd or Path.cwd()):
        if (root / "ml" / "train.py").is_file():
            return root
    return None


class SubprocessRankerTrainer:
    def __init__(
        self,
        *,
        output_dir: Path,
        database_url: str,
        project_dir: Path | None,
        python: str = sys.executable,
        baseline_model: Path | None = None,
        min_gain: float = 0.0,
        max_rows: int | None = None,
        timeout_seconds: float = 3600.0,
        extra_env: Mapping[str, str] | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self._output_dir = output_dir
        self._database_url = database_url
        self._project_dir = project_dir
        self._python = python
        self._baseline = baseline_model
        self._min_gain = min_gain
        self._max_rows = max_rows
        self._timeout = timeout_seconds
        self._extra_env = dict(extra_env or {})
        self._extra_args = extra_args

    def command(
        self, *, source: str, impressions_file: str | None = None, seed: int | None = None
    ) -> list[str]:
        args = [self._python, "-m", "ml.train", "--source", source]
        args += ["--output-dir", str(self._output_dir.resolve())]
        if self._baseline is not None:  # what servers run until a model is promoted
            args += ["--baseline-model", str(self._baseline.resolve())]
        args += ["--min-gain", repr(self._min_gain)]
        if self._max_rows is not None:
            args += ["--max-rows", str(self._max_rows)]
        if impressions_file is not None:
            args += ["--impressions", str(Path(impressions_file).resolve())]
        if seed is not None:
            args += ["--seed", str(seed)]
        return args + list(self._extra_args)

    async def train(
        self, *, source: str, impressions_file: str | None = None, seed: int | None = None
    ) -> RankerTrainingReport:
        if self._project_dir is None:
            raise RankerTrainingError(
                "the ml/ training pipeline is not available in this installation "
                "(run `hypehere train-ranker` from a source checkout)"
            )
        env = dict(os.environ)
        env.update(self._extra_env)
        env["HYPEHERE_DATABASE_URL"] = self._database_url
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self._project_dir), env.get("PYTHONPATH", "")) if p
        )
        argv = self.command(source=source, impressions_file=impressions_file, seed=seed)
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *argv,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), self._timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise RankerTrainingError(f"training timed out after {self._timeout:.0f} s") from None
        elapsed = round(time.perf_counter() - started, 2)
        if process.returncode != 0:
            tail = stderr.decode(errors="replace")[-2000:]
            log.error("ranker_training_failed", code=process.returncode, seconds=elapsed)
            raise RankerTrainingError(f"ml.train exited with {process.returncode}: {tail}")
        try:
            summary = json.loads(stdout)
            serving = summary.get("serving")
            return RankerTrainingReport(
                model_path=summary["model"],
                source=summary["source"],
                holdout_rows=int(summary["rows"]),
                lightgbm_auc=float(summary["lightgbm"]["auc"]),
                heuristic_auc=float(summary["heuristic"]["auc"]),
                lightgbm_ndcg_at_10=float(summary["lightgbm"]["ndcg_at_10"]),
                heuristic_ndcg_at_10=float(summary["heuristic"]["ndcg_at_10"]),
                promoted=summary["status"] == "promoted",
                reasons=tuple(str(r) for r in summary["reasons"]),
                serving_version=summary.get("serving_version"),
                serving_auc=None if serving is None else float(serving["auc"]),
                serving_ndcg_at_10=None if serving is None else float(serving["ndcg_at_10"]),
                best_iteration=int(summary["best_iteration"]),
                stopped_early=bool(summary["stopped_early"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise RankerTrainingError(f"unexpected ml.train output: {stdout[-500:]!r}") from exc
