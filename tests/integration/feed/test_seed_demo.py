"""`hypehere seed-demo` on SQLite: consistent counters, languages and a trending list."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.bootstrap.migrations import upgrade_to_head
from hypehere.bootstrap.seed_demo import seed_demo
from tests.conftest import test_settings

pytestmark = pytest.mark.integration


async def test_seed_demo_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'seed.sqlite3'}"
    upgrade_to_head(url)
    settings = test_settings(tmp_path, database_url=url, password_hash_profile="fast")
    report = await seed_demo(settings, 40, 400, seed=3)
    assert report.users == 40 and report.posts == 400 and report.follows > 0
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:

            async def scalar(sql: str) -> int:
                return int((await conn.execute(text(sql))).scalar_one())

            assert await scalar("SELECT count(*) FROM posts") == 400
            assert await scalar("SELECT count(*) FROM post_likes") == report.likes
            assert (
                await scalar(
                    "SELECT count(*) FROM posts p WHERE like_count != "
                    "(SELECT count(*) FROM post_likes l WHERE l.post_id = p.id)"
                )
                == 0
            )
            assert (
                await scalar(
                    "SELECT count(*) FROM users u WHERE follower_count != "
                    "(SELECT count(*) FROM follows f WHERE f.followee_id = u.id)"
                )
                == 0
            )
            assert (
                await scalar(
                    "SELECT count(*) FROM users u WHERE post_count != "
                    "(SELECT count(*) FROM posts p WHERE p.author_id = u.id)"
                )
                == 0
            )
            assert await scalar("SELECT count(*) FROM feed_engagements") == report.likes
            assert await scalar("SELECT count(*) FROM trending_hashtags") > 0
            assert await scalar("SELECT count(DISTINCT native_language) FROM users") >= 3
    finally:
        await engine.dispose()
    with pytest.raises(SystemExit):
        await seed_demo(settings, 5, 5)
