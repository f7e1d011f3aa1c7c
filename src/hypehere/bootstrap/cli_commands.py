"""Sub-commands beyond serve/migrate (worker, jobs, seed-demo, train-ranker, create-admin)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    """Each module adds `sub.add_parser(...)` and a `@command(name)` function here."""
    _register_train_ranker(sub, command)


def _register_train_ranker(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "train-ranker",
        help="Train a new feed-ranker model into the model directory (runs `python -m ml.train`; "
        "servers pick it up within HYPEHERE_RANKER_RELOAD_INTERVAL_SECONDS)",
    )
    p.add_argument(
        "--source",
        choices=["auto", "synthetic", "database", "file"],
        default="auto",
        help="auto: logged impressions when there are enough, else synthetic data",
    )
    p.add_argument("--impressions", help="JSON-lines impressions export (with --source file)")
    p.add_argument("--seed", type=int, help="seed for synthetic data and LightGBM")

    @command("train-ranker")  # type: ignore[untyped-decorator]
    def train_ranker(args: argparse.Namespace, settings: Any) -> int:
        import asyncio
        import json
        import sys

        import msgspec

        from hypehere.application.feed.train_ranker import (
            RankerTrainingError,
            TrainRanker,
            TrainRankerCommand,
        )
        from hypehere.bootstrap.providers.ranking import ranker_trainer

        use_case = TrainRanker(ranker_trainer(settings))
        cmd = TrainRankerCommand(
            source=args.source, impressions_file=args.impressions, seed=args.seed
        )
        try:
            report = asyncio.run(use_case.execute(cmd))
        except RankerTrainingError as exc:
            print(f"train-ranker failed: {exc}", file=sys.stderr)
            return 1
        print(json.dumps(msgspec.to_builtins(report), indent=2))
        return 0
