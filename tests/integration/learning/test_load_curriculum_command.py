"""`hypehere learning load-curriculum` through the real runtime on an emptied SQLite
database: loads the shipped files, reports what changed, changes nothing the second time,
refuses files that break the curriculum rules unless told, and queues the search sync."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hypehere.adapters.sql.engine import create_engine
from hypehere.bootstrap.cli import SettingsRuntime
from hypehere.entrypoints.cli.commands import run
from tests.conftest import test_settings, truncate_all
from tests.fixtures.curriculum import FIXTURE_CURRICULUM

pytestmark = pytest.mark.integration


async def _scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text(sql)) or 0)
    finally:
        await engine.dispose()


def _report(out: str) -> dict[str, Any]:
    """The printed JSON report (log lines may come before it on stdout)."""
    report: dict[str, Any] = json.loads(out[out.index("{\n") :])
    return report


def test_load_curriculum_command(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(truncate_all(sqlite_url))
    runtime = SettingsRuntime(test_settings(tmp_path, database_url=sqlite_url))

    assert run(["learning", "load-curriculum"], lambda: runtime) == 0
    report = _report(capsys.readouterr().out)
    assert report["changed"] is True
    assert len(report["categories_created"]) == 6
    assert len(report["lessons_created"]) == 18
    assert report["not_in_files"] == []
    count = "SELECT count(*) FROM learning_expressions"
    assert asyncio.run(_scalar(sqlite_url, count)) == 18 * 8
    events = "SELECT count(*) FROM outbox_events WHERE topic = 'learning.lessons_changed'"
    assert asyncio.run(_scalar(sqlite_url, events)) == 1

    assert run(["learning", "load-curriculum"], lambda: runtime) == 0
    again = _report(capsys.readouterr().out)
    assert again["changed"] is False
    assert (again["lessons_created"], again["lessons_updated"]) == ([], [])
    assert again["unchanged_lessons"] == 18
    assert asyncio.run(_scalar(sqlite_url, events)) == 1  # nothing to re-index

    # The test fixture has 1 lesson of 2 expressions per category: refused by the rules...
    fixture = ["learning", "load-curriculum", "--directory", str(FIXTURE_CURRICULUM)]
    assert run(fixture, lambda: runtime) == 1
    assert "load-curriculum failed" in capsys.readouterr().err
    assert asyncio.run(_scalar(sqlite_url, "SELECT count(*) FROM learning_lessons")) == 18
    # ...and loaded when told; the shipped content is not in those files: kept, listed.
    assert run([*fixture, "--no-check"], lambda: runtime) == 0
    loaded = _report(capsys.readouterr().out)
    assert len(loaded["lessons_created"]) == 2
    assert len(loaded["not_in_files"]) == 6 + 18
    assert asyncio.run(_scalar(sqlite_url, "SELECT count(*) FROM learning_lessons")) == 20
