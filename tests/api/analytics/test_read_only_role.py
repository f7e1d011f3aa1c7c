"""`HYPEHERE_ANALYTICS_DATABASE_URL` on PostgreSQL: a role granted SELECT on the analytics
aggregate tables only. The analytics API reads through it; a write through it fails, and so
does a read of any other table (the activity log and the users included)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.sql.analytics.readers import daily
from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.providers.analytics import ReadOnlySessions
from hypehere.bootstrap.settings import Settings, SettingsError
from tests.api.helpers import API, auth, make_staff, register
from tests.conftest import test_settings, truncate_all

pytestmark = pytest.mark.integration

AGGREGATES = (
    "analytics_daily",
    "analytics_matching_daily",
    "analytics_learning_daily",
    "analytics_cohorts",
    "analytics_trending_posts",
    "analytics_insights",
)
DAY = date(2026, 3, 10)


async def _read_only_role(url: str) -> str:
    """Create (once per cluster) a login role for this test database and grant it SELECT on
    the aggregate tables; the URL that connects as it."""
    parsed = make_url(url)
    role = f"hypehere_ro_{parsed.database}"
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            )
            if not exists:
                await conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'ro-test'"))
            await conn.execute(text(f'GRANT CONNECT ON DATABASE "{parsed.database}" TO "{role}"'))
            await conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
            await conn.execute(text(f'GRANT SELECT ON {", ".join(AGGREGATES)} TO "{role}"'))
    finally:
        await engine.dispose()
    return parsed.set(username=role, password="ro-test").render_as_string(hide_password=False)


async def test_the_analytics_api_reads_through_a_role_that_cannot_write(
    postgres_url: str, tmp_path: Any
) -> None:
    await truncate_all(postgres_url)
    read_only = await _read_only_role(postgres_url)
    owner = create_async_engine(postgres_url)
    try:
        async with owner.begin() as conn:
            await conn.execute(
                insert(daily).values(
                    day=DAY,
                    visitors=5,
                    active_users=3,
                    new_users=2,
                    posts=1,
                    comments=0,
                    messages=4,
                    matches=1,
                    dau=3,
                    wau=3,
                    mau=3,
                    computed_at=datetime.now(UTC),
                )
            )
    finally:
        await owner.dispose()
    settings: Settings = test_settings(
        tmp_path, database_url=postgres_url, analytics_database_url=read_only
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        analyst, token = await register(client)
        await make_staff(client, analyst["id"], "analyst", database_url=postgres_url)
        rows = await client.get(
            f"{API}/analytics/daily-users",
            params={"start": DAY.isoformat(), "end": DAY.isoformat()},
            headers=auth(token),
        )
        assert rows.status_code == 200, rows.text
        assert rows.json() == [
            {"date": "2026-03-10", "visitors": 5, "active_users": 3, "dau": 3, "wau": 3, "mau": 3}
        ]

        async def attempt(sql: str) -> str:
            sessions = await client.app.state.dishka_container.get(ReadOnlySessions)
            assert sessions.factory is not None
            async with sessions.factory() as session:
                try:
                    await session.execute(text(sql))
                    await session.commit()
                except DBAPIError as exc:
                    return str(exc.orig)
            return "allowed"

        for sql in (
            "DELETE FROM analytics_daily",
            "INSERT INTO analytics_cohorts (day, size) VALUES ('2026-03-10', 1)",
            "UPDATE analytics_insights SET summary = 'x'",
            "SELECT count(*) FROM analytics_events",
            "SELECT count(*) FROM users",
        ):
            assert "permission denied" in client.blocking_portal.call(attempt, sql), sql
        assert client.blocking_portal.call(attempt, "SELECT count(*) FROM analytics_daily") == (
            "allowed"
        )
        again = await client.get(
            f"{API}/analytics/daily-users",
            params={"start": DAY.isoformat(), "end": DAY.isoformat()},
            headers=auth(token),
        )
        assert again.json() == rows.json()  # the delete did not happen


def test_the_setting_is_postgresql_only(tmp_path: Any) -> None:
    with pytest.raises(SettingsError, match="HYPEHERE_ANALYTICS_DATABASE_URL"):
        test_settings(tmp_path, analytics_database_url="sqlite+aiosqlite:///x.db")
    assert test_settings(tmp_path, analytics_database_url="  ").analytics_database_url is None
