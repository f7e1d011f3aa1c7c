"""The `hypehere` commands: parse, call the runtime or one use case, print, exit code.

`run(argv, boot)` parses first (so `--help` and usage errors need no settings), then builds
the runtime with `boot` (a `CliSetupError` is printed and exits 2), then runs the command."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import msgspec

from hypehere.application.analytics.backfill import Backfill, BackfillCommand
from hypehere.application.feed.train_ranker import (
    RankerTrainingError,
    TrainRanker,
    TrainRankerCommand,
)
from hypehere.application.learning.load_curriculum import (
    LoadCurriculum,
    LoadCurriculumCommand,
)
from hypehere.application.users.create_admin import CreateAdmin, CreateAdminCommand
from hypehere.domain.shared.errors import DomainError
from hypehere.entrypoints.cli.parser import build_parser
from hypehere.entrypoints.cli.runtime import CliRuntime, CliSetupError

Command = Callable[[argparse.Namespace, CliRuntime], int]
_Cmd = TypeVar("_Cmd", contravariant=True)
_Result = TypeVar("_Result", covariant=True)


def serve(args: argparse.Namespace, runtime: CliRuntime) -> int:
    return runtime.serve(args.host, args.port, args.workers, worker_process=args.worker_process)


def migrate(args: argparse.Namespace, runtime: CliRuntime) -> int:
    return runtime.migrate(args.revision)


def worker(args: argparse.Namespace, runtime: CliRuntime) -> int:
    return runtime.run_worker()


def jobs(args: argparse.Namespace, runtime: CliRuntime) -> int:
    if args.jobs_command == "list":
        for name, cron in sorted(runtime.job_schedules().items()):
            print(f"{name}\t{cron or '-'}")
        return 0
    return asyncio.run(runtime.run_job(args.name))


class _UseCase(Protocol[_Cmd, _Result]):
    async def execute(self, cmd: _Cmd, /) -> _Result: ...


def _execute(runtime: CliRuntime, use_case: type[_UseCase[_Cmd, _Result]], cmd: _Cmd) -> _Result:
    """Run one use case in a fresh container (closed afterwards, whatever happens)."""

    async def run() -> _Result:
        container = runtime.make_container()
        try:
            async with container() as request:
                return await (await request.get(use_case)).execute(cmd)
        finally:
            await container.close()

    return asyncio.run(run())


def train_ranker(args: argparse.Namespace, runtime: CliRuntime) -> int:
    cmd = TrainRankerCommand(source=args.source, impressions_file=args.impressions, seed=args.seed)
    try:
        report = _execute(runtime, TrainRanker, cmd)
    except RankerTrainingError as exc:
        print(f"train-ranker failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(msgspec.to_builtins(report), indent=2))
    return 0


def create_admin(args: argparse.Namespace, runtime: CliRuntime) -> int:
    cmd = CreateAdminCommand(
        email=args.email,
        password=args.password,
        nickname=args.nickname,
        native_language=args.native_language,
    )
    try:
        result = _execute(runtime, CreateAdmin, cmd)
    except DomainError as exc:
        print(f"create-admin failed: {exc.message}", file=sys.stderr)
        return 1
    verb = "created" if result.created else "promoted"
    print(f"admin {verb}: {result.user_id}")
    return 0


def analytics(args: argparse.Namespace, runtime: CliRuntime) -> int:
    """`analytics backfill --from --to`: one rollup per day; prints the days done."""
    try:
        result = _execute(runtime, Backfill, BackfillCommand(start=args.start, end=args.end))
    except DomainError as exc:
        print(f"analytics backfill failed: {exc.message}", file=sys.stderr)
        return 1
    print(json.dumps({"days": [day.isoformat() for day in result.days]}))
    return 0


def learning(args: argparse.Namespace, runtime: CliRuntime) -> int:
    cmd = LoadCurriculumCommand(location=args.directory, check=not args.no_check)
    try:
        result = _execute(runtime, LoadCurriculum, cmd)
    except DomainError as exc:
        print(f"load-curriculum failed: {exc.message}", file=sys.stderr)
        return 1
    report = msgspec.to_builtins(result)
    report["changed"] = result.changed
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def seed_demo(args: argparse.Namespace, runtime: CliRuntime) -> int:
    report = runtime.seed_demo(args.users, args.posts, seed=args.seed, password=args.password)
    print(json.dumps(dataclasses.asdict(report)))
    return 0


COMMANDS: dict[str, Command] = {
    "serve": serve,
    "migrate": migrate,
    "worker": worker,
    "jobs": jobs,
    "train-ranker": train_ranker,
    "create-admin": create_admin,
    "seed-demo": seed_demo,
    "analytics": analytics,
    "learning": learning,
}


def run(argv: Sequence[str] | None, boot: Callable[[], CliRuntime]) -> int:
    args = build_parser().parse_args(argv)
    try:
        runtime = boot()
    except CliSetupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return COMMANDS[args.command](args, runtime)
