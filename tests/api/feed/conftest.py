"""The feed's API tests run on a third deployment too: PostgreSQL + Redis with the
following feed read from fan-out home timelines (`HYPEHERE_HOME_TIMELINE=redis`), so the
same assertions hold for both ways of reading it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hypehere.bootstrap.settings import Settings
from tests.conftest import flush_redis, test_settings, truncate_all

HOME_TIMELINES = "postgres-home-timelines"


@pytest.fixture(params=["sqlite", "postgres", HOME_TIMELINES])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def backend_settings(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Settings]:
    if backend == "sqlite":
        url = request.getfixturevalue("sqlite_url")
        await truncate_all(url)
        yield test_settings(tmp_path, database_url=url)
        return
    url = request.getfixturevalue("postgres_url")
    redis = request.getfixturevalue("redis_url")
    await truncate_all(url)
    await flush_redis(redis)
    extra = {"home_timeline": "redis"} if backend == HOME_TIMELINES else {}
    yield test_settings(tmp_path, database_url=url, redis_url=redis, **extra)
