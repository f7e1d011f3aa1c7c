"""Shared candidate pools: the newest posts of each viewer-independent feed source.

Three of the four candidate sources do not depend on who is looking, only on a language:
posts in language L by native speakers of L (for everyone learning L), posts by learners
of language N (for every native speaker of N) and posts carrying a trending hashtag (for
everyone). Gathering them per viewer with one big statement cost ~1 s per first page at
500,000 posts; here each pool is read once per process and kept for `ttl_seconds`, with
the post's and the author's ranking facts already joined in, so a first page only filters
them in memory (own, blocked, seen, language) and reads the viewer's own sources.

Freshness: a pool older than the TTL is still served while a background task reads it
again (stale-while-revalidate; a process refreshes one pool at a time, spaced), so no
request waits for a refresh; the pools of the common languages are warmed at startup, and
a first request for a cold pool loads it inline (concurrent first requests share that
load). A new post therefore reaches strangers' feeds within about twice the TTL; followers
see it at once (the followed source is read per viewer). Like/comment counts in a pool are
as old as the pool. `ttl_seconds = 0` reads every pool on every call (no caching).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
import structlog
from sqlalchemy import BindParameter, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import (
    plan_for_parameters,
    post_hashtags,
    posts,
    trending,
    users,
)
from hypehere.adapters.sql.feed.queries import post_visible_to
from hypehere.adapters.sql.users.queries import HIDDEN_STATES, user_languages
from hypehere.application.common.cache import Cache
from hypehere.domain.shared.clock import ensure_utc

logger = structlog.get_logger(__name__)

CANDIDATE_WINDOW = timedelta(days=7)
TRENDING_POST_WINDOW = timedelta(hours=24)
ACTIVITY_CAP = 50
# Pools hold more than a viewer's per-source cap: the viewer's seen window (1,000 posts),
# own and blocked authors' posts are filtered out of them per request.
LANGUAGE_POOL_SIZE = 1500
TRENDING_POOL_SIZE = 400
WARM_LANGUAGES = 20  # pools loaded at startup: the most targeted / most spoken languages

NATIVE = "native"  # posts in a language by native speakers of it
LEARNERS = "learners"  # posts by learners of a language
TRENDING = "trending"  # posts with a trending hashtag (the language part of the key is "")

PoolKey = tuple[str, str]


class PoolPost(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """One post with the facts ranking needs that do not depend on the viewer (a Struct:
    thousands are built per pool and hundreds per request; it is cheap to build)."""

    post_id: str
    author_id: str
    created_ts: float  # created_at as a POSIX timestamp (compared and sorted per request)
    like_count: int
    comment_count: int
    language: str
    has_media: bool
    content_length: int
    # Hashtags and the author's learning languages, comma-joined (tags and language codes
    # hold no commas). Plain strings: a pool of these holds no object the garbage collector
    # tracks, so replacing pools never feeds a full collection.
    hashtags: str
    author_follower_count: int
    author_native: str
    author_learns: str
    author_posts: int  # in the candidate window, counted up to ACTIVITY_CAP


@dataclass(frozen=True, slots=True)
class Pool:
    posts: tuple[PoolPost, ...]  # newest first
    trending_tags: frozenset[str] = frozenset()


def posts_with_facts(ids: Select[Any], since: datetime | BindParameter[datetime]) -> Select[Any]:
    """The posts whose ids `ids` selects, with their authors' facts, visible authors only.

    Author facts are computed once per distinct author, not per post: the learning
    languages (one aggregate) and the activity, an index range scan of at most
    ACTIVITY_CAP entries (the feature is log1p, so it saturates)."""
    chosen = ids.cte("chosen").prefix_with("MATERIALIZED")
    author = users.alias("author")
    other = posts.alias("other_posts")
    distinct_authors = (
        select(posts.c.author_id.label("id"))
        .where(posts.c.id.in_(select(chosen.c.id)))
        .distinct()
        .subquery("distinct_authors")
    )
    recent = (
        select(other.c.created_at)
        .where(other.c.author_id == distinct_authors.c.id, other.c.created_at >= since)
        .order_by(other.c.created_at.desc())
        .limit(ACTIVITY_CAP)
        .correlate(distinct_authors)
        .subquery("recent")
    )
    learns = (
        select(func.aggregate_strings(user_languages.c.language, ","))
        .where(user_languages.c.user_id == distinct_authors.c.id)
        .correlate(distinct_authors)
        .scalar_subquery()
    )
    facts = (
        select(
            distinct_authors.c.id.label("author_id"),
            learns.label("learns"),
            select(func.count()).select_from(recent).scalar_subquery().label("activity"),
        )
        .cte("facts")
        .prefix_with("MATERIALIZED")
    )  # once per author, not per post
    return (
        select(
            posts.c.id,
            posts.c.author_id,
            posts.c.created_at,
            posts.c.like_count,
            posts.c.comment_count,
            posts.c.language,
            posts.c.media_urls,
            func.length(posts.c.content).label("content_length"),
            posts.c.hashtags,
            author.c.follower_count,
            author.c.native_language.label("author_native"),
            facts.c.learns.label("author_learns"),
            facts.c.activity.label("author_posts"),
        )
        .select_from(
            posts.join(chosen, chosen.c.id == posts.c.id)
            .join(author, author.c.id == posts.c.author_id)
            .join(facts, facts.c.author_id == posts.c.author_id)
        )
        .where(author.c.state.not_in(HIDDEN_STATES))
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
    )


def pool_post(row: Any) -> PoolPost:
    """A `posts_with_facts` row (unpacked by position: thousands per pool load)."""
    (
        post_id,
        author_id,
        created_at,
        likes,
        comments,
        language,
        media,
        length,
        hashtags,
        followers,
        native,
        learns,
        activity,
    ) = row
    return PoolPost(
        post_id=post_id,
        author_id=author_id,
        created_ts=ensure_utc(created_at).timestamp(),
        like_count=likes,
        comment_count=comments,
        language=language,
        has_media=bool(media),
        content_length=length or 0,
        hashtags=",".join(hashtags) if hashtags else "",
        author_follower_count=followers,
        author_native=native,
        author_learns=learns or "",
        author_posts=activity or 0,
    )


def _recent(since: datetime, *conditions: Any) -> Select[Any]:
    return select(posts.c.id).where(
        posts.c.created_at >= since,
        posts.c.removed_at.is_(None),
        post_visible_to(None, posts),
        *conditions,
    )


async def load_pool(session: AsyncSession, key: PoolKey, now: datetime) -> Pool:
    """Read one pool from the database (newest LANGUAGE_POOL_SIZE / TRENDING_POOL_SIZE)."""
    kind, language = key
    since = now - CANDIDATE_WINDOW
    tags: frozenset[str] = frozenset()
    async with translate_errors():
        await plan_for_parameters(session)
        if kind == NATIVE:
            ids = (
                _recent(since, posts.c.language == language, users.c.native_language == language)
                .join_from(posts, users, users.c.id == posts.c.author_id)
                .order_by(posts.c.created_at.desc())
                .limit(LANGUAGE_POOL_SIZE)
            )
        elif kind == LEARNERS:
            learners = select(user_languages.c.user_id).where(user_languages.c.language == language)
            ids = (
                _recent(since, posts.c.author_id.in_(learners))
                .order_by(posts.c.created_at.desc())
                .limit(LANGUAGE_POOL_SIZE)
            )
        elif kind == TRENDING:
            tags = frozenset((await session.scalars(select(trending.c.tag))).all())
            if not tags:
                return Pool(posts=(), trending_tags=tags)
            tagged = (
                select(post_hashtags.c.post_id)
                .where(
                    post_hashtags.c.tag.in_(sorted(tags)),
                    post_hashtags.c.created_at >= now - TRENDING_POST_WINDOW,
                )
                .order_by(post_hashtags.c.created_at.desc())
                .limit(TRENDING_POOL_SIZE * 3)
            )
            ids = (
                _recent(since, posts.c.id.in_(tagged))
                .order_by(posts.c.created_at.desc())
                .limit(TRENDING_POOL_SIZE)
            )
        else:
            raise ValueError(f"unknown candidate pool {kind!r}")
        rows = await session.execute(posts_with_facts(ids, since))
        return Pool(posts=tuple(pool_post(r) for r in rows), trending_tags=tags)


@dataclass(slots=True)
class _Entry:
    pool: Pool
    loaded_at: float


class _SharedPool(msgspec.Struct, array_like=True):
    """A pool as processes share it through the cache."""

    loaded_epoch: float  # wall clock: processes do not share a monotonic clock
    posts: tuple[PoolPost, ...]
    trending_tags: frozenset[str]


_shared_encoder = msgspec.msgpack.Encoder()
_shared_decoder = msgspec.msgpack.Decoder(_SharedPool)


class CandidatePools:
    """The per-process pool cache (one per process: APP scope).

    `session_factory` opens the session a background refresh reads with; without one (or
    with `ttl_seconds = 0`) every call reads the pool on the caller's session.

    `shared` (a cache all processes see: Redis) spares the other processes the database
    read: a process that reads a pool from PostgreSQL stores it there for the TTL, and a
    process whose copy is stale or missing takes a fresh one from there first. The pools are
    the same for every process, so N processes read each pool about once per TTL, not N
    times (a pool read is ~65 ms of PostgreSQL CPU). A shared copy keeps its age: a pool is
    still at most about twice the TTL old."""

    def __init__(
        self,
        ttl_seconds: float = 0.0,
        session_factory: async_sessionmaker[AsyncSession] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        refresh_gap_seconds: float | None = None,
        shared: Cache | None = None,
        wallclock: Callable[[], float] = time.time,
    ) -> None:
        self._ttl = ttl_seconds
        self._shared = shared
        self._wallclock = wallclock
        # A pause after each background refresh (default: a twentieth of the TTL), so the
        # refreshes of a process are spread over the TTL instead of running back to back: a
        # pool read is ~100 ms of PostgreSQL, and 17 in a row were a visible stall.
        self._gap = ttl_seconds / 20 if refresh_gap_seconds is None else refresh_gap_seconds
        self._factory = session_factory
        self._monotonic = monotonic
        self._entries: dict[PoolKey, _Entry] = {}
        self._loading: dict[PoolKey, asyncio.Future[Pool]] = {}
        self._refreshing: dict[PoolKey, asyncio.Task[None]] = {}
        # Pools loaded together go stale together: refresh them one at a time (and spaced by
        # the gap), so refreshes never compete with requests for the CPU and the database
        # all at once. A pool is therefore at most about twice the TTL old.
        self._one_at_a_time = asyncio.Semaphore(1)

    @property
    def caching(self) -> bool:
        return self._ttl > 0 and self._factory is not None

    async def get(self, key: PoolKey, now: datetime, session: AsyncSession) -> Pool:
        if not self.caching:
            return await load_pool(session, key, now)
        entry = self._entries.get(key)
        if entry is None:
            return await self._first_load(key, now, session)
        if self._monotonic() - entry.loaded_at >= self._ttl and key not in self._refreshing:
            task = asyncio.create_task(self._refresh(key, now), name=f"feed-pool-{key}")
            self._refreshing[key] = task
        return entry.pool

    async def warm(self, now: datetime) -> int:
        """Start loading, in the background, the pools the first requests will need: the
        trending pool and the pools of the most common languages. Called at startup so the
        first feed requests after a deploy do not all load pools inline. Returns how many
        loads were started."""
        if self._factory is None or not self.caching:
            return 0
        async with self._factory() as session, session.begin():
            targeted = await session.scalars(
                select(user_languages.c.language)
                .group_by(user_languages.c.language)
                .order_by(func.count().desc())
                .limit(WARM_LANGUAGES)
            )
            targets = list(targeted)
            spoken = await session.scalars(
                select(users.c.native_language)
                .group_by(users.c.native_language)
                .order_by(func.count().desc())
                .limit(WARM_LANGUAGES)
            )
            natives = list(spoken)
        keys = [(TRENDING, ""), *((NATIVE, t) for t in targets), *((LEARNERS, n) for n in natives)]
        started = 0
        for key in keys:
            if key not in self._entries and key not in self._refreshing:
                task = asyncio.create_task(
                    self._refresh(key, now, spaced=False), name=f"feed-pool-{key}"
                )
                self._refreshing[key] = task
                started += 1
        return started

    async def _first_load(self, key: PoolKey, now: datetime, session: AsyncSession) -> Pool:
        """Load inline on the caller's session (on SQLite a second connection would queue
        behind the caller's own transaction); concurrent first callers share the load."""
        pending = self._loading.get(key)
        if pending is not None:
            with contextlib.suppress(Exception):
                return await asyncio.shield(pending)
            return await load_pool(session, key, now)  # the shared load failed: try ours
        future: asyncio.Future[Pool] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        try:
            entry = await self._load(key, now, session)
        except BaseException as exc:
            future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("cancelled"))
            future.exception()  # retrieved: waiters (if any) load their own
            raise
        else:
            self._entries[key] = entry
            future.set_result(entry.pool)
            return entry.pool
        finally:
            del self._loading[key]

    async def _refresh(self, key: PoolKey, now: datetime, *, spaced: bool = True) -> None:
        assert self._factory is not None
        try:
            async with self._one_at_a_time:
                started = self._monotonic()
                async with self._factory() as session, session.begin():
                    entry = await self._load(key, now, session)
                self._entries[key] = entry
                logger.debug(
                    "feed_pool_refreshed",
                    pool=f"{key[0]}:{key[1]}",
                    posts=len(entry.pool.posts),
                    age_s=round(started - entry.loaded_at, 1),
                    ms=round((self._monotonic() - started) * 1000, 1),
                )
                if spaced:
                    await asyncio.sleep(self._gap)
        except Exception as exc:  # keep serving the previous pool; the next call retries
            logger.warning("feed_pool_refresh_failed", pool=f"{key[0]}:{key[1]}", error=repr(exc))
        finally:
            self._refreshing.pop(key, None)

    async def _load(self, key: PoolKey, now: datetime, session: AsyncSession) -> _Entry:
        """A fresh shared copy when there is one, else a database read (then shared)."""
        started = self._monotonic()
        if self._shared is None:
            return _Entry(await load_pool(session, key, now), started)
        name = f"feed:pool:{key[0]}:{key[1]}"
        try:
            raw = await self._shared.get(name)
            if raw is not None:
                shared = _shared_decoder.decode(raw)
                age = max(self._wallclock() - shared.loaded_epoch, 0.0)
                if age < self._ttl:
                    return _Entry(Pool(shared.posts, shared.trending_tags), started - age)
        except Exception as exc:  # the database still has the pools
            logger.warning("feed_pool_shared_read_failed", pool=name, error=repr(exc))
        loaded_epoch = self._wallclock()
        pool = await load_pool(session, key, now)
        try:
            blob = _shared_encoder.encode(_SharedPool(loaded_epoch, pool.posts, pool.trending_tags))
            await self._shared.set(name, blob, max(int(self._ttl), 1))
        except Exception as exc:
            logger.warning("feed_pool_shared_write_failed", pool=name, error=repr(exc))
        return _Entry(pool, started)

    async def close(self) -> None:
        """Wait for background refreshes (the app's shutdown, before the engine closes)."""
        tasks = list(self._refreshing.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
