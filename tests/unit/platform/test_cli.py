"""`hypehere` commands (entrypoints/cli) against a fake runtime: every operating-contract
command and flag parses and reaches the runtime or its use case; exit codes and output."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from dishka import AsyncContainer, Provider, Scope, make_async_container
from structlog.testing import CapturingLogger

import hypehere.application.feed.train_ranker as train_ranker_module
from hypehere.application.analytics.backfill import Backfill, BackfillCommand, BackfillResult
from hypehere.application.feed.train_ranker import (
    RankerTrainer,
    RankerTrainingError,
    RankerTrainingReport,
    TrainRanker,
)
from hypehere.application.users.create_admin import (
    CreateAdmin,
    CreateAdminCommand,
    CreateAdminResult,
)
from hypehere.domain.analytics.model import InvalidDateRangeError, days
from hypehere.domain.shared.errors import ConflictError
from hypehere.entrypoints.cli.commands import COMMANDS, run
from hypehere.entrypoints.cli.parser import build_parser
from hypehere.entrypoints.cli.runtime import CliRuntime, CliSetupError

pytestmark = pytest.mark.unit


@dataclasses.dataclass
class SeedReport:
    users: int
    posts: int


class FakeTrainer:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[dict[str, Any]] = []

    async def train(self, **kwargs: Any) -> RankerTrainingReport:
        self.calls.append(kwargs)
        if self.fail:
            raise RankerTrainingError("no data")
        return RankerTrainingReport(
            model_path="/models/ranker-1.txt",
            source="synthetic",
            holdout_rows=10,
            lightgbm_auc=0.7,
            heuristic_auc=0.6,
            lightgbm_ndcg_at_10=0.5,
            heuristic_ndcg_at_10=0.4,
            promoted=False,
            reasons=("auc 0.7000 does not beat the serving model (ranker-0)'s 0.7500",),
        )


class FakeCreateAdmin:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.commands: list[CreateAdminCommand] = []

    async def execute(self, cmd: CreateAdminCommand) -> CreateAdminResult:
        self.commands.append(cmd)
        if self.error is not None:
            raise self.error
        return CreateAdminResult(user_id="u-1", created=True)


class FakeBackfill:
    def __init__(self) -> None:
        self.commands: list[BackfillCommand] = []

    async def execute(self, cmd: BackfillCommand) -> BackfillResult:
        self.commands.append(cmd)
        if cmd.end < cmd.start:
            raise InvalidDateRangeError("end is before start")
        return BackfillResult(days(cmd.start, cmd.end))


class FakeRuntime:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.trainer = FakeTrainer()
        self.create_admin = FakeCreateAdmin()
        self.backfill = FakeBackfill()
        self.containers_closed = 0

    def make_container(self) -> AsyncContainer:
        def trainer() -> Iterator[RankerTrainer]:
            yield self.trainer
            self.containers_closed += 1  # finalized when the command closes the container

        def create_admin() -> Iterator[CreateAdmin]:
            yield self.create_admin  # type: ignore[misc]
            self.containers_closed += 1

        def backfill() -> Iterator[Backfill]:
            yield self.backfill  # type: ignore[misc]
            self.containers_closed += 1

        provider = Provider(scope=Scope.APP)
        provider.provide(trainer)
        provider.provide(create_admin)
        provider.provide(backfill)
        provider.provide(TrainRanker, scope=Scope.REQUEST)
        return make_async_container(provider)

    def serve(
        self, host: str | None, port: int | None, workers: int | None, *, worker_process: bool
    ) -> int:
        self.calls.append(("serve", (host, port, workers, worker_process)))
        return 0

    def migrate(self, revision: str) -> int:
        self.calls.append(("migrate", revision))
        return 0

    def run_worker(self) -> int:
        self.calls.append(("worker", None))
        return 0

    def job_schedules(self) -> dict[str, str | None]:
        return {"trending": "*/5 * * * *", "search-sync": None}

    async def run_job(self, name: str) -> int:
        self.calls.append(("job", name))
        return 2 if name == "nope" else 0

    def seed_demo(self, users: int, posts: int, *, seed: int, password: str | None) -> Any:
        self.calls.append(("seed-demo", (users, posts, seed, password)))
        return SeedReport(users=users, posts=posts)


def _run(runtime: FakeRuntime, *argv: str) -> int:
    typed: CliRuntime = runtime
    return run(list(argv), lambda: typed)


def test_the_parser_knows_exactly_the_commands_it_runs() -> None:
    [commands] = [
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    assert set(commands.choices) == set(COMMANDS)


def test_serve_and_migrate_pass_their_flags() -> None:
    runtime = FakeRuntime()
    assert _run(runtime, "serve") == 0
    assert _run(runtime, "serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3") == 0
    assert _run(runtime, "serve", "--host", "h", "--port", "1", "--worker-process") == 0
    assert _run(runtime, "migrate") == 0
    assert _run(runtime, "migrate", "--revision", "abc") == 0
    assert _run(runtime, "worker") == 0
    assert runtime.calls == [
        ("serve", (None, None, None, False)),
        ("serve", ("0.0.0.0", 9000, 3, False)),
        ("serve", ("h", 1, None, True)),
        ("migrate", "head"),
        ("migrate", "abc"),
        ("worker", None),
    ]


def test_jobs_list_and_run(capsys: pytest.CaptureFixture[str]) -> None:
    runtime = FakeRuntime()
    assert _run(runtime, "jobs", "list") == 0
    assert capsys.readouterr().out == "search-sync\t-\ntrending\t*/5 * * * *\n"
    assert _run(runtime, "jobs", "run", "trending") == 0
    assert _run(runtime, "jobs", "run", "nope") == 2
    assert runtime.calls == [("job", "trending"), ("job", "nope")]


def test_seed_demo_prints_its_report(capsys: pytest.CaptureFixture[str]) -> None:
    runtime = FakeRuntime()
    assert _run(runtime, "seed-demo", "--users", "5", "--posts", "7") == 0
    assert json.loads(capsys.readouterr().out) == {"users": 5, "posts": 7}
    assert runtime.calls == [("seed-demo", (5, 7, 42, None))]


def test_train_ranker_runs_the_use_case(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = FakeRuntime()
    # the use case's logger replaced, not read from stdout: where log lines go (and whether
    # a cached logger sees structlog's test capture) depends on the tests that ran before
    logs = CapturingLogger()
    monkeypatch.setattr(train_ranker_module, "log", logs)
    assert _run(runtime, "train-ranker", "--source", "synthetic", "--seed", "3") == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{\n") :])
    assert report["model_path"] == "/models/ranker-1.txt"
    assert (report["promoted"], len(report["reasons"])) == (False, 1)  # a rejection is no error
    assert [(call.method_name, call.args) for call in logs.calls] == [
        ("warning", ("ranker_candidate_rejected",))
    ]
    assert runtime.trainer.calls == [{"source": "synthetic", "impressions_file": None, "seed": 3}]
    assert runtime.containers_closed == 1

    runtime.trainer.fail = True
    assert _run(runtime, "train-ranker") == 1
    assert "train-ranker failed: no data" in capsys.readouterr().err
    assert runtime.containers_closed == 2


def test_create_admin_runs_the_use_case(capsys: pytest.CaptureFixture[str]) -> None:
    runtime = FakeRuntime()
    argv = ("create-admin", "--email", "a@example.com", "--password", "pw-12345678")
    assert _run(runtime, *argv, "--native-language", "en") == 0
    assert capsys.readouterr().out == "admin created: u-1\n"
    assert runtime.create_admin.commands == [
        CreateAdminCommand(
            email="a@example.com", password="pw-12345678", nickname="Admin", native_language="en"
        )
    ]

    runtime.create_admin.error = ConflictError("taken")
    assert _run(runtime, *argv) == 1
    assert "create-admin failed: taken" in capsys.readouterr().err
    assert runtime.containers_closed == 2


def test_analytics_backfill_runs_the_use_case_over_the_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runtime = FakeRuntime()
    assert _run(runtime, "analytics", "backfill", "--from", "2026-11-29", "--to", "2026-12-01") == 0
    assert json.loads(capsys.readouterr().out) == {
        "days": ["2026-11-29", "2026-11-30", "2026-12-01"]
    }
    assert _run(runtime, "analytics", "backfill", "--from", "2026-12-02", "--to", "2026-12-01") == 1
    assert "analytics backfill failed: end is before start" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        _run(runtime, "analytics", "backfill", "--from", "yesterday", "--to", "2026-12-01")
    assert usage.value.code == 2
    assert len(runtime.backfill.commands) == 2


def test_a_runtime_that_cannot_start_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    def boot() -> CliRuntime:
        raise CliSetupError("Invalid settings: HYPEHERE_LOG_FORMAT")

    assert run(["migrate"], boot) == 2
    assert "Invalid settings" in capsys.readouterr().err


def test_usage_errors_need_no_runtime() -> None:
    def boot() -> CliRuntime:
        raise AssertionError("the runtime must not be built for a usage error")

    with pytest.raises(SystemExit) as exit_info:
        run(["create-admin"], boot)  # --email and --password are required
    assert exit_info.value.code == 2
