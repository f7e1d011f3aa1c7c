"""`hypehere migrate` on a bare checkout: the default SQLite file's folder may not exist."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from hypehere.bootstrap.migrations import upgrade_to_head

pytestmark = pytest.mark.integration


def test_migrate_creates_the_sqlite_folder(tmp_path: Path) -> None:
    database = tmp_path / "not" / "yet" / "there" / "hypehere.sqlite3"
    upgrade_to_head(f"sqlite+aiosqlite:///{database}")
    with sqlite3.connect(database) as conn:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {"users", "posts", "outbox_events"} <= tables
