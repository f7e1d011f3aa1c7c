"""`hypehere jobs run NAME` and `hypehere jobs list`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from dishka import AsyncContainer

from hypehere.application.common.jobs import JobDefinition
from hypehere.bootstrap import jobs as registry
from hypehere.bootstrap.cli import main
from hypehere.bootstrap.jobs import JobRoute
from hypehere.bootstrap.migrations import upgrade_to_head
from hypehere.bootstrap.worker import run_job_once
from tests import conftest

pytestmark = pytest.mark.integration


def _hypehere(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "HYPEHERE_VAR_DIR": str(tmp_path),
        "HYPEHERE_LOG_FORMAT": "json",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "hypehere.bootstrap.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_unknown_job_fails_with_the_list_of_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "run", "no-such-job"]) == 2

    err = capsys.readouterr().err
    assert "unknown job 'no-such-job'" in err
    assert "search-sync" in err


def test_search_sync_drains_the_outbox_and_exits_zero(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    upgrade_to_head(url)

    result = _hypehere(tmp_path, "jobs", "run", "search-sync", HYPEHERE_DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert '"event": "job_finished"' in result.stderr
    assert '"job": "search-sync"' in result.stderr


def test_jobs_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "list"]) == 0
    assert "search-sync" in capsys.readouterr().out


async def test_a_failing_job_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def boom(_container: AsyncContainer, _payload: Mapping[str, Any]) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(registry, "JOBS", [*registry.JOBS, JobRoute(JobDefinition("boom"), boom)])

    assert await run_job_once(conftest.test_settings(tmp_path), "boom") == 1
    assert "job 'boom' failed" in capsys.readouterr().err
