"""The data migration: a freshly migrated database (SQLite and PostgreSQL) holds every
shipped curriculum file, and loading the files again changes nothing (upsert by key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.sql.engine import ensure_postgres_database
from hypehere.adapters.sql.learning.curriculum import load_curriculum_into
from hypehere.adapters.yaml.curriculum import load_curriculum
from hypehere.bootstrap.migrations import upgrade_to_head
from tests.conftest import POSTGRES_URL, _reset_postgres_schema, _run

pytestmark = pytest.mark.integration

TABLES = ("learning_categories", "learning_lessons", "learning_expressions")


async def _counts(url: str) -> dict[str, int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return {
                table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in TABLES
            }
    finally:
        await engine.dispose()


async def _load_again(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(load_curriculum_into, load_curriculum())
    finally:
        await engine.dispose()


def _expected() -> dict[str, int]:
    categories = load_curriculum()
    lessons = [lesson for c in categories for lesson in c.lessons]
    return {
        "learning_categories": len(categories),
        "learning_lessons": len(lessons),
        "learning_expressions": sum(len(lesson.expressions) for lesson in lessons),
    }


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    base = make_url(POSTGRES_URL)
    url = base.set(database=f"{base.database}_learning").render_as_string(hide_password=False)
    _run(ensure_postgres_database(url))
    _run(_reset_postgres_schema(url))
    return url


def test_a_fresh_database_has_the_whole_curriculum(fresh_url: str) -> None:
    expected = _expected()
    assert expected["learning_expressions"] > 0
    upgrade_to_head(fresh_url)
    assert _run(_counts(fresh_url)) == expected
    _run(_load_again(fresh_url))
    assert _run(_counts(fresh_url)) == expected
