"""Run alembic programmatically (used by `hypehere migrate` and the tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from hypehere.adapters.sql.engine import ensure_sqlite_directory


def migrations_dir() -> Path:
    """The repo's `migrations/` (editable install), else `./migrations` (container image)."""
    for candidate in (
        Path(__file__).resolve().parents[3] / "migrations",
        Path.cwd() / "migrations",
    ):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("migrations/ not found; run from the project directory")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


def _outside_event_loop(func: Callable[[], None]) -> None:
    """alembic's async env.py runs its own loop; from inside a loop, use a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        func()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(func).result()


def upgrade_to_head(database_url: str, revision: str = "head") -> None:
    ensure_sqlite_directory(database_url)
    _outside_event_loop(lambda: command.upgrade(alembic_config(database_url), revision))


def downgrade(database_url: str, revision: str) -> None:
    _outside_event_loop(lambda: command.downgrade(alembic_config(database_url), revision))
