"""Sub-commands beyond serve/migrate (worker, jobs, seed-demo, train-ranker, create-admin)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    """Each module adds `sub.add_parser(...)` and a `@command(name)` function here."""
    _register_train_ranker(sub, command)
    _register_worker(sub, command)
    _register_seed_demo(sub, command)
    _register_create_admin(sub, command)


def _register_worker(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    sub.add_parser(
        "worker",
        help="Run background jobs, cron schedules and the outbox dispatcher "
        "(SAQ on Redis; in-process when HYPEHERE_REDIS_URL is unset)",
    )
    jobs = sub.add_parser("jobs", help="Background jobs")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True)
    run = jobs_sub.add_parser("run", help="Run one job once, in this process")
    run.add_argument("name", help="Job name (see `hypehere jobs list`)")
    jobs_sub.add_parser("list", help="List the registered jobs and their schedules")

    @command("worker")  # type: ignore[untyped-decorator]
    def worker(args: argparse.Namespace, settings: Any) -> int:
        from hypehere.bootstrap.worker import worker_main

        return worker_main(settings)

    @command("jobs")  # type: ignore[untyped-decorator]
    def jobs_command(args: argparse.Namespace, settings: Any) -> int:
        import asyncio

        from hypehere.bootstrap.jobs import job_routes
        from hypehere.bootstrap.worker import run_job_once

        if args.jobs_command == "list":
            for name, route in sorted(job_routes().items()):
                print(f"{name}\t{route.definition.cron or '-'}")
            return 0
        return asyncio.run(run_job_once(settings, args.name))


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


def _register_create_admin(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("create-admin", help="Create the first staff account (or promote one)")
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--nickname", default="Admin")
    p.add_argument("--native-language", default="ko")

    @command("create-admin")  # type: ignore[untyped-decorator]
    def create_admin(args: argparse.Namespace, settings: Any) -> int:
        import asyncio
        import sys

        from hypehere.application.users.create_admin import CreateAdmin, CreateAdminCommand
        from hypehere.bootstrap.container import make_container
        from hypehere.domain.shared.errors import DomainError

        async def run() -> int:
            container = make_container(settings, web=False)
            try:
                async with container() as request:
                    use_case = await request.get(CreateAdmin)
                    result = await use_case.execute(
                        CreateAdminCommand(
                            email=args.email,
                            password=args.password,
                            nickname=args.nickname,
                            native_language=args.native_language,
                        )
                    )
            except DomainError as exc:
                print(f"create-admin failed: {exc.message}", file=sys.stderr)
                return 1
            finally:
                await container.close()
            verb = "created" if result.created else "promoted"
            print(f"admin {verb}: {result.user_id}")
            return 0

        return asyncio.run(run())


def _register_seed_demo(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "seed-demo",
        help="Bulk-load a demo community (users, follows, posts, likes); COPY on PostgreSQL",
    )
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--posts", type=int, default=2000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--password", default=None, help="password of every demo user")

    @command("seed-demo")  # type: ignore[untyped-decorator]
    def seed_demo_command(args: argparse.Namespace, settings: Any) -> int:
        import asyncio
        import dataclasses
        import json

        from hypehere.bootstrap.seed_demo import DEFAULT_PASSWORD, seed_demo

        report = asyncio.run(
            seed_demo(
                settings,
                args.users,
                args.posts,
                seed=args.seed,
                password=args.password or DEFAULT_PASSWORD,
            )
        )
        print(json.dumps(dataclasses.asdict(report)))
        return 0
