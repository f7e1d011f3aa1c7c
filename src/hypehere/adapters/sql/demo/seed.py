"""Load a demo community into a fresh database, fast.

Each module's tables are loaded by that module's `bulk.py` (rows stay private to their
package); this file only orchestrates. PostgreSQL is loaded with COPY, SQLite with
executemany; after the load PostgreSQL gets a VACUUM ANALYZE."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy import text

from hypehere.adapters.sql.demo.community import DEMO_EMAIL, generate_community
from hypehere.adapters.sql.engine import create_engine
from hypehere.adapters.sql.feed.bulk import (
    load_engagements,
    load_post_hashtags,
    load_post_likes,
    load_posts,
)
from hypehere.adapters.sql.users.bulk import load_follows, load_user_languages, load_users
from hypehere.adapters.sql.users.queries import count_users_with_email_like

log = structlog.get_logger(__name__)

DEMO_EMAIL_PATTERN = DEMO_EMAIL.format(n="%")


@dataclass
class SeedReport:
    users: int
    follows: int
    posts: int
    likes: int
    seconds: float


async def load_demo_community(
    database_url: str,
    users: int,
    posts: int,
    *,
    seed: int,
    password_hash: Callable[[], Awaitable[str]],
) -> SeedReport:
    """Generate and load `users` demo users and `posts` posts. Refuses (SystemExit) when
    demo users already exist; `password_hash` is awaited only once that is checked."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            taken = await conn.scalar(count_users_with_email_like(DEMO_EMAIL_PATTERN))
            if taken:
                raise SystemExit(
                    f"seed-demo: {taken} demo users already exist; use a fresh database"
                )
        community = generate_community(rng, now, users, posts, await password_hash())
        generated = time.perf_counter()
        log.info("seed_demo_generated", seconds=round(generated - started, 1))

        async with engine.begin() as conn:
            await load_users(conn, community.users)
            await load_user_languages(conn, community.user_languages)
            await load_follows(conn, community.follows)
            await load_posts(conn, community.posts)
            await load_post_hashtags(conn, community.post_hashtags)
            await load_post_likes(conn, community.post_likes)
            await load_engagements(conn, community.engagements)
        async with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # Statistics for the planner, and the visibility map: without it the feed's
                # index-only scans (author activity) visit the heap until autovacuum runs.
                autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(text("VACUUM ANALYZE"))
        log.info("seed_demo_loaded", seconds=round(time.perf_counter() - generated, 1))
    finally:
        await engine.dispose()
    return SeedReport(
        users=users,
        follows=len(community.follows),
        posts=posts,
        likes=len(community.post_likes),
        seconds=round(time.perf_counter() - started, 1),
    )
