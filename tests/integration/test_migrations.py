"""Migrations: the stairway (up/down/up per revision) and models == migrations on both DBs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

import hypehere.adapters.sql.tables  # noqa: F401
from hypehere.adapters.sql.metadata import metadata
from hypehere.adapters.sql.schema_filter import include_object
from hypehere.bootstrap.migrations import alembic_config
from tests.conftest import _reset_postgres_schema, _run

pytestmark = pytest.mark.integration


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _diff(url: str) -> list[Any]:
    async def compare() -> list[Any]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(
                            sync,
                            opts={"compare_type": True, "include_object": include_object},
                        ),
                        metadata,
                    )
                )
        finally:
            await engine.dispose()

    return _run(compare())


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
    from tests.conftest import POSTGRES_URL

    request.getfixturevalue("postgres_url")  # availability (fails in CI when missing)
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/hypehere_stairway"
    from tests.conftest import _ensure_postgres_database

    _run(_ensure_postgres_database(url))
    _run(_reset_postgres_schema(url))
    return url


def test_stairway_up_down_up_each_revision(empty_database: str) -> None:
    config = alembic_config(empty_database)
    revisions = _revisions(empty_database)
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        command.upgrade(config, revision)
        command.downgrade(config, previous)
        command.upgrade(config, revision)
        previous = revision


def test_head_matches_models_without_autogenerate_diff(empty_database: str) -> None:
    command.upgrade(alembic_config(empty_database), "head")
    assert _diff(empty_database) == []
