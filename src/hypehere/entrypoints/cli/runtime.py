"""What the CLI commands need from the composition root, as a port: `bootstrap/cli.py`
implements it over the settings (the CLI never sees settings or adapters)."""

from __future__ import annotations

from typing import Any, Protocol

from dishka import AsyncContainer


class CliSetupError(Exception):
    """The runtime cannot be built (e.g. invalid settings): the CLI prints it, exits 2."""


class CliRuntime(Protocol):
    def make_container(self) -> AsyncContainer:
        """A fresh dependency container (no web scope); the caller closes it."""
        ...

    def serve(
        self, host: str | None, port: int | None, workers: int | None, *, worker_process: bool
    ) -> int:
        """Serve HTTP and WebSockets until stopped (None: the configured value).
        `worker_process`: this is one worker of a multi-process `serve`, started by it."""
        ...

    def migrate(self, revision: str) -> int: ...

    def run_worker(self) -> int:
        """Background jobs, cron schedules and the outbox dispatcher, until stopped."""
        ...

    def job_schedules(self) -> dict[str, str | None]:
        """Registered job name -> cron expression (None: not scheduled)."""
        ...

    async def run_job(self, name: str) -> int:
        """Run one job once in this process; the exit code (2: unknown job)."""
        ...

    def seed_demo(self, users: int, posts: int, *, seed: int, password: str | None) -> Any:
        """Bulk-load a demo community; returns the report (a dataclass)."""
        ...
