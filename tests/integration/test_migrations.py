"""Migrations: the stairway (up/down/up per revision) and models == migrations on both DBs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

import hypehere.adapters.sql.all_tables  # noqa: F401
from hypehere.adapters.sql.engine import (
    create_engine,
    ensure_postgres_database,
)
from hypehere.adapters.sql.metadata import metadata
from hypehere.adapters.sql.schema_filter import include_object
from hypehere.adapters.sql.users.tables import UserRow
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


def stairway_url(test_url: str) -> str:
    """The stairway's own database beside the suite's: `<test database>_stairway`, so two
    suites pointed at different test databases never reset each other's stairway."""
    url = make_url(test_url)
    return url.set(database=f"{url.database}_stairway").render_as_string(hide_password=False)


def test_the_stairway_database_follows_the_test_database() -> None:
    assert stairway_url("postgresql+asyncpg://postgres:pw@db:5432/test_lead?ssl=disable") == (
        "postgresql+asyncpg://postgres:pw@db:5432/test_lead_stairway?ssl=disable"
    )


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
    from tests.conftest import POSTGRES_URL

    request.getfixturevalue("postgres_url")  # availability (fails in CI when missing)
    url = stairway_url(POSTGRES_URL)
    _run(ensure_postgres_database(url))
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


def test_0011_fills_the_unread_counters_from_the_existing_notifications(
    empty_database: str,
) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, "0010")
    now = "2026-12-04 12:00:00"

    async def seed_and_read(sql: list[str], query: str) -> list[Any]:
        engine = create_async_engine(empty_database)
        try:
            async with engine.begin() as conn:
                for statement in sql:
                    await conn.execute(text(statement))
                return list((await conn.execute(text(query))).all()) if query else []
        finally:
            await engine.dispose()

    rows = [
        f"INSERT INTO notifications (id, recipient_id, kind, target_type, target_id, "
        f"actor_count, dedup_key, read_at, created_at, updated_at) VALUES ('n{i}', '{r}', "
        f"'comment', 'post', 'p{i}', 1, 'd{i}', {read}, '{now}', '{now}')"
        for i, (r, read) in enumerate(
            [("u1", "NULL"), ("u1", "NULL"), ("u1", f"'{now}'"), ("u2", f"'{now}'")]
        )
    ]
    _run(_insert_users(empty_database, ("u1", "u2", "u3")))
    _run(seed_and_read(rows, ""))
    command.upgrade(config, "0011")
    counters = _run(
        seed_and_read([], "SELECT user_id, unread FROM notification_counters ORDER BY user_id")
    )
    assert [tuple(row) for row in counters] == [("u1", 2)]  # u2: all read, u3: none


def test_0012_starts_each_existing_session_at_its_first_token(empty_database: str) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, "0011")
    _run(_insert_users(empty_database, ("u1",)))

    async def run(sql: list[str], query: str = "") -> list[Any]:
        engine = create_async_engine(empty_database)
        try:
            async with engine.begin() as conn:
                for statement in sql:
                    await conn.execute(text(statement))
                return list((await conn.execute(text(query))).all()) if query else []
        finally:
            await engine.dispose()

    tokens = [  # family a: a login and two rotations; family b: one login
        ("t1", "a", "2026-01-01 10:00:00"),
        ("t2", "a", "2026-01-15 10:00:00"),
        ("t3", "a", "2026-02-01 10:00:00"),
        ("t4", "b", "2026-01-20 10:00:00"),
    ]
    _run(
        run(
            [
                f"INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, "
                f"expires_at) VALUES ('{i}', 'u1', '{f}', 'h{i}', '{at}', '2027-01-01 00:00:00')"
                for i, f, at in tokens
            ]
        )
    )
    command.upgrade(config, "0012")
    rows = _run(run([], "SELECT id, session_started_at FROM refresh_tokens ORDER BY id"))
    # SQLite gives the stored text, PostgreSQL a datetime in the session's zone (as written)
    started = {
        row[0]: row[1] if isinstance(row[1], str) else row[1].strftime("%Y-%m-%d %H:%M:%S")
        for row in rows
    }
    assert {key: value[:19] for key, value in started.items()} == {
        "t1": "2026-01-01 10:00:00",
        "t2": "2026-01-01 10:00:00",
        "t3": "2026-01-01 10:00:00",
        "t4": "2026-01-20 10:00:00",
    }
    users = _run(run([], "SELECT tokens_valid_after FROM users"))
    assert [tuple(row) for row in users] == [(None,)]


def test_0023_renames_the_default_role_to_user(empty_database: str) -> None:
    """API.md's name of the default role; rows of the old name `member` are renamed, staff
    roles are left alone."""
    config = alembic_config(empty_database)
    command.upgrade(config, "0022")
    _run(_insert_users(empty_database, ("u1", "u2")))  # written with the old `member`

    async def run(sql: list[str], query: str = "") -> list[Any]:
        engine = create_async_engine(empty_database)
        try:
            async with engine.begin() as conn:
                for statement in sql:
                    await conn.execute(text(statement))
                return list((await conn.execute(text(query))).all()) if query else []
        finally:
            await engine.dispose()

    _run(run(["UPDATE users SET role = 'moderator' WHERE id = 'u2'"]))
    command.upgrade(config, "0023")
    roles = _run(run([], "SELECT id, role FROM users ORDER BY id"))
    assert [tuple(row) for row in roles] == [("u1", "user"), ("u2", "moderator")]
    command.downgrade(config, "0022")
    roles = _run(run([], "SELECT id, role FROM users ORDER BY id"))
    assert [tuple(row) for row in roles] == [("u1", "member"), ("u2", "moderator")]


async def _insert_users(url: str, ids: tuple[str, ...]) -> None:
    """Users with the columns every revision since 0002 has (later columns have server
    defaults or are nullable: 0012's tokens_valid_after, 0014's timezone and
    desired_retention)."""
    stamp = datetime(2026, 12, 4, 12, tzinfo=UTC)
    users_t = UserRow.__table__  # type: ignore[attr-defined]
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                users_t.insert(),
                [
                    {
                        "id": user_id,
                        "email": f"{user_id}@example.com",
                        "handle": user_id,
                        "nickname": user_id,
                        "bio": "",
                        "native_language": "ko",
                        "interface_language": "ko",
                        "password_hash": "!",
                        "role": "member",
                        "state": "active",
                        "show_followers_list": "everyone",
                        "show_following_list": "everyone",
                        "chat_policy": "everyone",
                        "send_read_receipts": True,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for user_id in ids
                ],
            )
    finally:
        await engine.dispose()
