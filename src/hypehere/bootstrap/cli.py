"""The `hypehere` console script: the composition behind the command line.

The commands themselves (parsing, thin bodies) live in `entrypoints/cli/`; this module loads
the settings, configures logging and hands the commands a `CliRuntime` that builds the
container, the server, the worker and migrations from those settings. Heavy parts are
imported when a command needs them, so `hypehere --help` stays fast."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer

from hypehere.bootstrap.logging import configure_logging
from hypehere.bootstrap.settings import Settings, SettingsError, load_settings
from hypehere.entrypoints.cli.commands import run
from hypehere.entrypoints.cli.runtime import CliSetupError


class SettingsRuntime:
    """`CliRuntime` over loaded settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def make_container(self) -> AsyncContainer:
        from hypehere.bootstrap.container import make_container

        # CLI commands (seeding, admin, reindexing) are one-off jobs: their statement timeout.
        return make_container(self.settings.model_copy(update={"process_role": "jobs"}), web=False)

    def serve(
        self, host: str | None, port: int | None, workers: int | None, *, worker_process: bool
    ) -> int:
        from hypehere.bootstrap.serving import (
            Supervisor,
            prepare_multiprocess_metrics,
            run_server,
            run_shared_socket_workers,
            supports_reuse_port,
        )

        host = host or self.settings.host
        port = port or self.settings.port
        workers = workers or self.settings.workers
        if worker_process:
            run_server(host, port, self.settings, reuse_port=True)
            return 0
        if workers > 1:
            prepare_multiprocess_metrics(self.settings.var_dir)
        if workers > 1 and supports_reuse_port():
            return Supervisor(host, port, workers).run()
        if workers > 1:
            run_shared_socket_workers(host, port, workers, self.settings)
            return 0
        run_server(host, port, self.settings, reuse_port=False)
        return 0

    def migrate(self, revision: str) -> int:
        from hypehere.bootstrap.migrations import upgrade_to_head

        upgrade_to_head(self.settings.effective_database_url, revision=revision)
        return 0

    def run_worker(self) -> int:
        from hypehere.bootstrap.worker import worker_main

        return worker_main(self.settings)

    def job_schedules(self) -> dict[str, str | None]:
        from hypehere.bootstrap.jobs import job_routes

        return {name: route.definition.cron for name, route in job_routes().items()}

    async def run_job(self, name: str) -> int:
        from hypehere.bootstrap.worker import run_job_once

        return await run_job_once(self.settings, name)

    def seed_demo(self, users: int, posts: int, *, seed: int, password: str | None) -> Any:
        from hypehere.bootstrap.seed_demo import DEFAULT_PASSWORD, seed_demo

        return asyncio.run(
            seed_demo(self.settings, users, posts, seed=seed, password=password or DEFAULT_PASSWORD)
        )


def boot() -> SettingsRuntime:
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise CliSetupError(str(exc)) from exc
    configure_logging(settings.effective_log_format, settings.log_level)
    return SettingsRuntime(settings)


def main(argv: Sequence[str] | None = None) -> int:
    return run(argv, boot)


if __name__ == "__main__":
    raise SystemExit(main())
