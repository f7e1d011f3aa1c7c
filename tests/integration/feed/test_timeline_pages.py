"""The timeline pages (readers.py) against their old definitions, on SQLite and PostgreSQL:
the following timeline by fan-in and by the time-index walk (the fallback over the cap on
followed authors), a tag's page and an author's page return, page after page, exactly the
posts of the plain statement the reader used before (the time order with the id as tie
break, blocks either way, hidden authors, removed posts shown, `?language=`).

The data comes from a seeded generator: few users, many equal timestamps (ties on the
cursor), removed posts, hidden accounts, blocks both ways, two languages."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import Select, and_, exists, insert, or_, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.timeline import generate
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.feed.bulk import load_post_hashtags, load_posts
from hypehere.adapters.sql.feed.common import post_hashtags, posts
from hypehere.adapters.sql.feed.readers import SqlPostReader, _following_statement, _post_select
from hypehere.adapters.sql.users.bulk import load_follows, load_users
from hypehere.adapters.sql.users.queries import followees_of
from hypehere.adapters.sql.users.tables import blocks_t
from hypehere.domain.shared.pagination import PageRequest, decode_cursor
from tests.conftest import truncate_all

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def load_world(factory: async_sessionmaker[AsyncSession], seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    data = generate(
        users=14, follows=5, posts=120, days=1, tags=3, seed=seed, now=NOW, password_hash="x"
    )
    for post in data.posts:  # whole minutes: many posts share a timestamp
        post["created_at"] = post["created_at"].replace(second=0, microsecond=0)
        post["language"] = rng.choice(("en", "ko"))
        if rng.random() < 0.1:
            post["removed_at"] = NOW
            post["removed_reason"] = "moderation"
    at = {p["id"]: p["created_at"] for p in data.posts}
    for link in data.post_hashtags:
        link["created_at"] = at[link["post_id"]]
    users = [u["id"] for u in data.users]
    data.users[3]["state"] = "banned"
    data.users[5]["state"] = "deactivated"
    data.users[7]["state"] = "suspended"  # still visible
    blocks = [(users[0], users[1]), (users[2], users[0]), (users[4], users[6])]
    # Viewer 0 follows whom they blocked, who blocked them, a banned, a deactivated and a
    # suspended account; viewer 9 follows everyone (the fallback's shape: the time walk).
    wanted = [(0, 1), (0, 2), (0, 3), (0, 5), (0, 7), *((9, u) for u in range(len(users)))]
    edges = {(f["follower_id"], f["followee_id"]) for f in data.follows}
    for a, b in wanted:
        if a != b and (users[a], users[b]) not in edges:
            data.follows.append(
                {"follower_id": users[a], "followee_id": users[b], "created_at": NOW}
            )
    async with factory() as session, session.begin():
        conn = await session.connection()
        await load_users(conn, data.users)
        await load_follows(conn, data.follows)
        await load_posts(conn, data.posts)
        await load_post_hashtags(conn, data.post_hashtags)
        await conn.execute(
            insert(blocks_t),
            [{"blocker_id": a, "blocked_id": b, "created_at": NOW} for a, b in blocks],
        )
    return {"users": users, "tags": sorted({t["tag"] for t in data.post_hashtags})}


def _old_page(stmt: Select[Any], page: PageRequest) -> Select[Any]:
    """The reader's page before issue 19: the `OR` keyset over (created_at, id)."""
    if page.cursor is not None:
        ts = datetime.fromisoformat(str(page.cursor[0]))
        last = str(page.cursor[1])
        stmt = stmt.where(
            or_(posts.c.created_at < ts, and_(posts.c.created_at == ts, posts.c.id < last))
        )
    return stmt.order_by(posts.c.created_at.desc(), posts.c.id.desc()).limit(page.limit)


def old_following(viewer: str, language: str | None) -> Select[Any]:
    stmt = _post_select(viewer).where(posts.c.author_id.in_(followees_of(viewer)))
    return stmt.where(posts.c.language == language) if language else stmt


def old_hashtag(viewer: str, tag: str, language: str | None) -> Select[Any]:
    tagged = exists().where(post_hashtags.c.post_id == posts.c.id, post_hashtags.c.tag == tag)
    stmt = _post_select(viewer).where(tagged)
    return stmt.where(posts.c.language == language) if language else stmt


def old_author(viewer: str, author: str, language: str | None) -> Select[Any]:
    stmt = _post_select(viewer).where(posts.c.author_id == author)
    return stmt.where(posts.c.language == language) if language else stmt


async def walk(
    session: AsyncSession, read: Any, old: Select[Any], limit: int
) -> tuple[list[list[str]], list[list[str]]]:
    """Every page of `read` and, from the same cursors, the old statement's pages."""
    new_pages: list[list[str]] = []
    old_pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = PageRequest(limit=limit, cursor=decode_cursor(cursor) if cursor else None)
        got = await read(page)
        new_pages.append([p.id for p in got.items])
        old_pages.append(
            list((await session.scalars(_old_page(old, page).with_only_columns(posts.c.id))).all())
        )
        cursor = got.next_cursor
        if cursor is None:
            return new_pages, old_pages
        assert len(new_pages) < 200


async def test_following_fan_in_and_walk_give_the_old_pages(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world = await load_world(sql_factory, seed=19)
    users = world["users"]
    checked = 0
    async with sql_factory() as session:
        for viewer in (users[0], users[2], users[9]):
            for language in (None, "ko"):
                for limit in (3, 8) if viewer == users[9] else (3,):
                    results = []
                    for cap in (1000, 0):  # fan-in, then the time-index walk
                        reader = SqlPostReader(session, fan_in_max_authors=cap)

                        read = partial(reader.following, viewer, language, staff=False)
                        new, old = await walk(session, read, old_following(viewer, language), limit)
                        assert new == old, (viewer, language, limit, cap)
                        results.append(new)
                        checked += sum(map(len, new))
                    assert results[0] == results[1]
    assert checked > 200  # the world is not empty


async def test_hashtag_and_author_pages_give_the_old_pages(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world = await load_world(sql_factory, seed=7)
    users = world["users"]
    async with sql_factory() as session:
        reader = SqlPostReader(session)
        for viewer in (users[0], users[4]):
            for language in (None, "en"):
                for tag in world["tags"]:
                    by_tag = partial(reader.by_hashtag, viewer, tag, language, staff=False)
                    new, old = await walk(session, by_tag, old_hashtag(viewer, tag, language), 3)
                    assert new == old and sum(map(len, new)) > 0, (viewer, tag, language)
                for author in (users[0], users[1], users[3], users[6], users[7]):
                    by_author = partial(reader.by_author, viewer, author, language, staff=False)
                    new, old = await walk(
                        session, by_author, old_author(viewer, author, language), 4
                    )
                    assert new == old, (viewer, author, language)


async def test_removed_posts_stay_in_the_following_timeline_as_tombstones_newest_first(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world = await load_world(sql_factory, seed=3)
    viewer = world["users"][9]  # follows everyone
    async with sql_factory() as session:
        for cap in (1000, 0):
            reader = SqlPostReader(session, fan_in_max_authors=cap)
            first = await reader.following(viewer, None, PageRequest(limit=200), staff=False)
            removed = [p for p in first.items if p.removed]
            assert removed and all(p.content == "" for p in removed)
            times = [(p.created_at, p.id) for p in first.items]
            assert times == sorted(times, reverse=True)


async def test_the_following_probes_read_the_author_index_only_on_postgresql(
    postgres_url: str,
) -> None:
    """The per-author probe filters on `moderation_state`; the index carries it (0026), so
    the probe never reads the heap (it did for every entry before, doubling the page's
    PostgreSQL CPU on `bench timeline`)."""
    await truncate_all(postgres_url)
    engine = create_engine(postgres_url)
    try:
        world = await load_world(create_session_factory(engine), seed=11)
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE posts"))
        params = {
            "viewer_id": world["users"][0],
            "fetch": 4,
            "max_authors": 400,
            "max_authors_probe": 401,
        }
        statement = _following_statement("postgresql", False, False)
        compiled = statement.params(**params).compile(
            dialect=engine.dialect, compile_kwargs={"literal_binds": True}
        )
        async with engine.connect() as conn:
            await conn.execute(text("SET enable_seqscan = off"))
            plan = (
                await conn.execute(text(f"EXPLAIN (FORMAT JSON) {compiled}".replace("%%", "%")))
            ).scalar_one()
    finally:
        await engine.dispose()
    probes = [n for n in _plan_nodes(plan[0]["Plan"]) if n.get("Index Name") == _AUTHOR_INDEX]
    assert probes and all(n["Node Type"] == "Index Only Scan" for n in probes), probes


_AUTHOR_INDEX = "ix_posts_author_id_created_at_id"


def _plan_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in _plan_nodes(child))]
