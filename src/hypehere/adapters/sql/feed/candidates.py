"""Ranked-feed candidates and their ranking signals.

Per first page: one statement for the viewer's context (languages, whom they follow and
block either way, their seen window, their affinity to authors), one for the newest posts
of the authors they follow (seen ones skipped before the cap), and the shared pools
(`pools.py`: posts in the viewer's target languages by native speakers, posts by learners
of the viewer's native language, trending posts), filtered in memory while the second
statement runs: never the viewer's own, a blocked-either-way author's, or a recently seen
post. Removed posts and hidden authors are left out of every source. Statements are built
once, at import, with bind parameters."""

from __future__ import annotations

import asyncio
import functools
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import (
    blocks,
    engagements,
    follows,
    impressions,
    plan_for_parameters,
    posts,
    users,
)
from hypehere.adapters.sql.feed.pools import (
    CANDIDATE_WINDOW,
    LEARNERS,
    NATIVE,
    TRENDING,
    CandidatePools,
    Pool,
    PoolPost,
    pool_post,
    posts_with_facts,
)
from hypehere.adapters.sql.feed.queries import post_visible_to
from hypehere.adapters.sql.users.queries import followees_of, user_languages
from hypehere.domain.feed.features import CandidateSignals

AFFINITY_WINDOW = timedelta(days=90)
SEEN_WINDOW = 1000  # the newest impressions per user that count as "seen"
FOLLOWED_CAP = 150
NATIVE_SPEAKERS_CAP = 200
LEARNERS_CAP = 150
TRENDING_CAP = 100


@dataclass
class ViewerContext:
    native: str | None = None
    targets: list[tuple[int, str]] = field(default_factory=list)
    followed: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)  # either way
    seen: set[str] = field(default_factory=set)
    seen_authors: dict[str, int] = field(default_factory=dict)  # seen posts per author
    affinity: dict[str, float] = field(default_factory=dict)

    @property
    def target_languages(self) -> tuple[str, ...]:
        return tuple(language for _, language in sorted(self.targets))


# Statements are built once, at import, with bind parameters: building these SQLAlchemy
# constructs per request cost more CPU than PostgreSQL spends executing them.
_VIEWER: BindParameter[str] = bindparam("viewer_id")
_SINCE: BindParameter[datetime] = bindparam("since")


def _context_statement() -> Select[Any]:
    """Everything per-viewer in one round trip: rows of (kind, value, author, number)."""
    no_text = cast(null(), String)
    no_number = cast(null(), Integer)
    seen = (
        select(impressions.c.post_id, impressions.c.author_id)
        .where(impressions.c.user_id == _VIEWER)
        .order_by(impressions.c.shown_at.desc())
        .limit(SEEN_WINDOW)
        .subquery("seen")
    )
    parts = [
        select(literal("native"), users.c.native_language, no_text, no_number).where(
            users.c.id == _VIEWER
        ),
        select(
            literal("target"), user_languages.c.language, no_text, user_languages.c.position
        ).where(user_languages.c.user_id == _VIEWER),
        select(literal("follows"), follows.c.followee_id, no_text, no_number).where(
            follows.c.follower_id == _VIEWER
        ),
        select(literal("blocked"), blocks.c.blocked_id, no_text, no_number).where(
            blocks.c.blocker_id == _VIEWER
        ),
        select(literal("blocked"), blocks.c.blocker_id, no_text, no_number).where(
            blocks.c.blocked_id == _VIEWER
        ),
        select(literal("seen"), seen.c.post_id, seen.c.author_id, no_number),
        select(
            literal("affinity"),
            engagements.c.author_id,
            no_text,
            cast(func.sum(case((engagements.c.kind == "comment", 2), else_=1)), Integer),
        )
        .where(
            engagements.c.user_id == _VIEWER,
            engagements.c.occurred_at >= bindparam("affinity_since"),
        )
        .group_by(engagements.c.author_id),
    ]
    return union_all(*parts)  # type: ignore[return-value]


def _followed_statement(dialect: str, by_language: bool) -> Select[Any]:
    """The followed authors' newest `cap` unseen posts with facts, removed posts left out.

    Seen posts are dropped from a materialized over-fetch (the newest `over_fetch` posts:
    FOLLOWED_CAP plus how many posts of these authors the viewer has seen), not from the
    posts table: a `NOT IN` over the seen window there made PostgreSQL scan every post in
    the window instead of each followed author's index range.

    On PostgreSQL the over-fetch is a fan-in: a LATERAL probe of (author_id, created_at
    DESC, id DESC) per followed author for their newest `over_fetch` posts in the window,
    merged. The walk of the global time index it replaces visited every post of the week
    until `over_fetch` followed ones turned up (2,000 users x 50 follows, 100,000 posts:
    6,328 posts and 12,116 buffers, 70 ms; the fan-in: see the module docstring of
    readers.py for the measured figures). SQLite (no LATERAL) keeps that statement."""
    conditions = [
        posts.c.created_at >= _SINCE,
        posts.c.removed_at.is_(None),
        post_visible_to(None, posts),
    ]
    if by_language:
        conditions.append(posts.c.language == bindparam("language"))
    over_fetch = bindparam("over_fetch", type_=Integer)
    if dialect == "postgresql":
        authors = followees_of(_VIEWER).subquery("authors")
        per_author = (
            select(posts.c.id, posts.c.created_at)
            .where(posts.c.author_id == authors.c.followee_id, *conditions)
            .order_by(posts.c.created_at.desc(), posts.c.id.desc())
            .limit(over_fetch)
            .lateral("per_author")
        )
        recent = select(per_author.c.id, per_author.c.created_at).select_from(
            authors.join(per_author, true())
        )
        newest_first = per_author.c.created_at.desc()
    else:
        recent = select(posts.c.id, posts.c.created_at).where(
            posts.c.author_id.in_(followees_of(_VIEWER)), *conditions
        )
        newest_first = posts.c.created_at.desc()
    newest = (
        recent.order_by(newest_first)
        .limit(over_fetch)
        .cte("followed_newest")
        .prefix_with("MATERIALIZED")
    )
    seen = (
        select(impressions.c.post_id)
        .where(impressions.c.user_id == _VIEWER)
        .order_by(impressions.c.shown_at.desc())
        .limit(SEEN_WINDOW)
    )
    unseen = (
        select(newest.c.id)
        .where(newest.c.id.not_in(seen))
        .order_by(newest.c.created_at.desc())
        .limit(bindparam("cap", type_=Integer))
    )
    return posts_with_facts(unseen, _SINCE)


@functools.cache
def _followed_for(dialect: str, by_language: bool) -> Select[Any]:
    return _followed_statement(dialect, by_language)


_CONTEXT = _context_statement()


def _context(rows: Iterable[Any]) -> ViewerContext:
    ctx = ViewerContext()
    for kind, value, author, number in rows:
        if kind == "native":
            ctx.native = value
        elif kind == "target":
            ctx.targets.append((int(number), value))
        elif kind == "follows":
            ctx.followed.add(value)
        elif kind == "blocked":
            ctx.blocked.add(value)
        elif kind == "seen":
            ctx.seen.add(value)
            ctx.seen_authors[author] = ctx.seen_authors.get(author, 0) + 1
        else:
            ctx.affinity[value] = float(number)
    return ctx


def _pick_from_pools(
    ctx: ViewerContext,
    viewer_id: str,
    since: datetime,
    language: str | None,
    native_pools: list[tuple[PoolPost, ...]],
    learners_pool: tuple[PoolPost, ...],
    trending_pool: Pool,
) -> list[list[PoolPost]]:
    """Each shared source's newest posts this viewer may see, up to the source's cap:
    never their own, a blocked-either-way author's, an already seen or an out-of-window
    post (a cached pool ages), and only in `language` when the feed is filtered."""
    since_ts = since.timestamp()

    def keep(sources: Iterable[PoolPost], cap: int) -> list[PoolPost]:
        out: list[PoolPost] = []
        for p in sources:
            if (
                p.created_ts >= since_ts
                and p.author_id != viewer_id
                and p.post_id not in ctx.seen
                and p.author_id not in ctx.blocked
                and (language is None or p.language == language)
            ):
                out.append(p)
                if len(out) == cap:
                    break
        return out

    newest_first: Iterable[PoolPost] = (
        heapq.merge(*native_pools, key=lambda p: p.created_ts, reverse=True)
        if len(native_pools) > 1
        else native_pools[0]
        if native_pools
        else ()
    )
    return [
        keep(newest_first, NATIVE_SPEAKERS_CAP),
        keep(learners_pool, LEARNERS_CAP),
        keep(trending_pool.posts, TRENDING_CAP),
    ]


class SqlFeedCandidates:
    def __init__(self, session: AsyncSession, pools: CandidatePools | None = None) -> None:
        self._session = session
        self._pools = pools if pools is not None else CandidatePools()

    async def gather(
        self, viewer_id: str, now: datetime, language: str | None, limit: int
    ) -> list[CandidateSignals]:
        since = now - CANDIDATE_WINDOW
        async with translate_errors():
            await plan_for_parameters(self._session)
            ctx = _context(
                await self._session.execute(
                    _CONTEXT, {"viewer_id": viewer_id, "affinity_since": now - AFFINITY_WINDOW}
                )
            )
            if ctx.native is None:
                return []
            targets = ctx.target_languages
            native_pools = [await self._pool((NATIVE, t), now) for t in targets]
            learners_pool = await self._pool((LEARNERS, ctx.native), now)
            trending_pool = await self._pools.get((TRENDING, ""), now, self._session)
            # The followed posts are the one per-viewer read: filter the pools in memory
            # while PostgreSQL runs it (the session is not used again until it returns).
            reading = asyncio.create_task(self._followed(viewer_id, ctx, since, language))
            await asyncio.sleep(0)  # let the task send its query
            try:
                groups = _pick_from_pools(
                    ctx, viewer_id, since, language, native_pools, learners_pool, trending_pool
                )
            finally:
                followed = await reading

        chosen: dict[str, PoolPost] = {p.post_id: p for p in followed}
        for group in groups:
            for p in group:
                chosen.setdefault(p.post_id, p)
        ordered = sorted(chosen.values(), key=lambda p: (p.created_ts, p.post_id), reverse=True)
        trending_tags = trending_pool.trending_tags
        now_ts = now.timestamp()
        return [
            CandidateSignals(
                post_id=p.post_id,
                author_id=p.author_id,
                age_hours=max(now_ts - p.created_ts, 0.0) / 3600,
                like_count=p.like_count,
                comment_count=p.comment_count,
                author_follower_count=p.author_follower_count,
                affinity=ctx.affinity.get(p.author_id, 0.0),
                post_language=p.language,
                viewer_native_language=ctx.native,
                viewer_target_languages=targets,
                is_followed_author=p.author_id in ctx.followed,
                has_media=p.has_media,
                content_length=p.content_length,
                author_posts_last_7d=p.author_posts,
                is_trending=bool(p.hashtags)
                and not trending_tags.isdisjoint(p.hashtags.split(",")),
                author_is_native_of_viewer_target=p.author_native in targets,
                author_learns_viewer_native=ctx.native in p.author_learns.split(","),
            )
            for p in ordered[:limit]
        ]

    async def _pool(self, key: tuple[str, str], now: datetime) -> tuple[PoolPost, ...]:
        return (await self._pools.get(key, now, self._session)).posts

    async def _followed(
        self, viewer_id: str, ctx: ViewerContext, since: datetime, language: str | None
    ) -> list[PoolPost]:
        authors = ctx.followed - ctx.blocked
        if not authors:
            return []
        # Enough rows that FOLLOWED_CAP unseen ones remain when there are that many.
        seen = sum(n for author, n in ctx.seen_authors.items() if author in authors)
        params: dict[str, Any] = {
            "viewer_id": viewer_id,
            "since": since,
            "cap": FOLLOWED_CAP,
            "over_fetch": FOLLOWED_CAP + seen,
        }
        if language is not None:
            params["language"] = language
        statement = _followed_for(self._session.get_bind().dialect.name, language is not None)
        rows = await self._session.execute(statement, params)
        # Authors blocked either way stay followed in the table; their posts are dropped here.
        return [pool_post(row) for row in rows if row[1] in authors]
