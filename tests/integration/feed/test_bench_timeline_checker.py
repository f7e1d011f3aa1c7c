"""bench/timeline.py's page checker on a tiny dataset in PostgreSQL: its independent SQL
gives the pages the application serves (following, tag, author; page 1 and page 2), and
it reports a page that differs."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from bench.timeline import PageChecker, asyncpg_dsn, expected_page, generate
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.feed.bulk import load_post_hashtags, load_posts
from hypehere.adapters.sql.feed.readers import SqlPostReader
from hypehere.adapters.sql.users.bulk import load_follows, load_users
from hypehere.domain.shared.pagination import PageRequest, decode_cursor
from tests.conftest import truncate_all

NOW = datetime(2026, 12, 6, tzinfo=UTC)


async def test_expected_pages_match_the_served_pages_and_a_wrong_page_is_reported(
    postgres_url: str,
) -> None:
    await truncate_all(postgres_url)
    data = generate(
        users=20, follows=4, posts=400, days=2, tags=3, seed=5, now=NOW, password_hash="h"
    )
    engine = create_engine(postgres_url)
    conn = await asyncpg.connect(asyncpg_dsn(postgres_url))
    try:
        async with engine.begin() as sa_conn:
            await load_users(sa_conn, data.users)
            await load_follows(sa_conn, data.follows)
            await load_posts(sa_conn, data.posts)
            await load_post_hashtags(sa_conn, data.post_hashtags)
        checker = PageChecker()
        async with create_session_factory(engine)() as session:
            reader = SqlPostReader(session)
            for n, user in enumerate(data.users[:4]):
                viewer = user["id"]
                cases = {
                    "following": (viewer, reader.following, (viewer, None)),
                    "hashtag": (f"tag{n % 3}", reader.by_hashtag, (viewer, f"tag{n % 3}", None)),
                    "user": (data.users[n + 5]["id"], reader.by_author, None),
                }
                for endpoint, (subject, read, args) in cases.items():
                    call_args = args or (viewer, subject, None)
                    first = await read(*call_args, PageRequest(limit=5), staff=False)
                    second = await read(
                        *call_args,
                        PageRequest(limit=5, cursor=decode_cursor(first.next_cursor or "")),
                        staff=False,
                    )
                    last = first.items[-1]
                    after = (last.created_at, last.id)
                    assert [p.id for p in first.items] == await expected_page(
                        conn, endpoint, viewer, subject, None, 5
                    )
                    assert [p.id for p in second.items] == await expected_page(
                        conn, endpoint, viewer, subject, after, 5
                    )
                    if endpoint == "following":
                        checker.subjects[viewer] = subject
                        checker.record(viewer, 1, [p.id for p in first.items], None)
                        checker.record(viewer, 2, [p.id for p in second.items], after)
                        checker.record(viewer, 2, [p.id for p in second.items], after)
        assert await checker.verify(conn, "following", 5) == []
        wrong = data.users[0]["id"]
        checker.record(wrong, 1, ["not-the-page"], None)  # differs from the first one served
        checker.first[(wrong, 2)] = checker.first[(wrong, 2)][::-1]  # wrong order
        problems = await checker.verify(conn, "following", 5)
        assert len(problems) == 2 and "differed" in problems[0] and "page 2" in problems[1]
    finally:
        await conn.close()
        await engine.dispose()
