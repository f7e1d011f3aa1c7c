"""Ranked-feed candidates and their ranking signals in two round trips.

1. the viewer's native and target languages;
2. one statement: a deduplicated UNION of candidate sources (followed authors' recent
   posts; posts in my target languages by native speakers; posts by learners of my native
   language; posts with a trending hashtag), each newest-first and capped, minus my own,
   removed, hidden-author, blocked-either-way and recently-seen posts; joined to the
   author and to correlated subqueries for affinity (my real likes/comments on the
   author's posts), the author's recent activity and trending membership."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, exists, func, select, text, union
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import (
    author_visible,
    engagements,
    follows,
    impressions,
    post_hashtags,
    posts,
    trending,
    user_languages,
    users,
)
from hypehere.domain.feed.features import CandidateSignals
from hypehere.domain.shared.clock import ensure_utc

CANDIDATE_WINDOW = timedelta(days=7)
TRENDING_POST_WINDOW = timedelta(hours=24)
AFFINITY_WINDOW = timedelta(days=90)
SEEN_WINDOW = 1000  # the newest impressions per user that count as "seen"
FOLLOWED_CAP = 250
NATIVE_SPEAKERS_CAP = 200
LEARNERS_CAP = 150
TRENDING_CAP = 100
ACTIVITY_CAP = 50


class SqlFeedCandidates:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def gather(
        self, viewer_id: str, now: datetime, language: str | None, limit: int
    ) -> list[CandidateSignals]:
        async with translate_errors():
            if self._session.get_bind().dialect.name == "postgresql":
                # asyncpg prepares statements; after five runs PostgreSQL may switch to a
                # generic plan, which for this query (selectivity depends on the viewer) is
                # 50x slower. Plan it for the actual parameters, in this transaction only.
                await self._session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
            native = await self._session.scalar(
                select(users.c.native_language).where(users.c.id == viewer_id)
            )
            if native is None:
                return []
            targets = tuple(
                (
                    await self._session.scalars(
                        select(user_languages.c.language)
                        .where(user_languages.c.user_id == viewer_id)
                        .order_by(user_languages.c.position)
                    )
                ).all()
            )
            trending_tags = tuple((await self._session.scalars(select(trending.c.tag))).all())
            trending_set = frozenset(trending_tags)
            rows = list(
                await self._session.execute(
                    self._statement(viewer_id, native, targets, trending_tags, now, language, limit)
                )
            )
        out = []
        for r in rows:
            out.append(
                CandidateSignals(
                    post_id=r.id,
                    author_id=r.author_id,
                    age_hours=max((now - ensure_utc(r.created_at)).total_seconds(), 0.0) / 3600,
                    like_count=int(r.like_count),
                    comment_count=int(r.comment_count),
                    author_follower_count=int(r.follower_count),
                    affinity=float(r.affinity or 0),
                    post_language=r.language,
                    viewer_native_language=native,
                    viewer_target_languages=targets,
                    is_followed_author=bool(r.is_followed),
                    has_media=bool(r.media_urls),
                    content_length=int(r.content_length or 0),
                    author_posts_last_7d=int(r.author_posts or 0),
                    is_trending=not trending_set.isdisjoint(r.hashtags or ()),
                    author_is_native_of_viewer_target=r.author_native in targets,
                    author_learns_viewer_native=bool(r.learns_native),
                )
            )
        return out

    def _statement(
        self,
        viewer_id: str,
        native: str,
        targets: tuple[str, ...],
        trending_tags: tuple[str, ...],
        now: datetime,
        language: str | None,
        limit: int,
    ) -> Select[Any]:
        since = now - CANDIDATE_WINDOW
        seen = (
            select(impressions.c.post_id)
            .where(impressions.c.user_id == viewer_id)
            .order_by(impressions.c.shown_at.desc())
            .limit(SEEN_WINDOW)
        )

        def source(*conditions: Any, cap: int, order: Any = None, join_author: bool = False) -> Any:
            frm: Any = posts
            if join_author:
                frm = posts.join(users, users.c.id == posts.c.author_id)
            stmt = (
                select(posts.c.id)
                .select_from(frm)
                .where(
                    posts.c.created_at >= since,
                    posts.c.removed_at.is_(None),
                    posts.c.author_id != viewer_id,
                    posts.c.id.not_in(seen),  # before the cap, so sources never run dry
                    *conditions,
                )
            )
            if language is not None:
                stmt = stmt.where(posts.c.language == language)
            ordering = order if order is not None else posts.c.created_at.desc()
            return select(stmt.order_by(ordering).limit(cap).subquery().c.id)

        followed = select(follows.c.followee_id).where(follows.c.follower_id == viewer_id)
        learners = select(user_languages.c.user_id).where(user_languages.c.language == native)
        sources = [
            source(posts.c.author_id.in_(followed), cap=FOLLOWED_CAP),
            source(posts.c.author_id.in_(learners), cap=LEARNERS_CAP),
        ]
        if trending_tags:
            # The newest posts carrying a trending tag (index range scans on (tag, created_at)).
            trending_posts = (
                select(post_hashtags.c.post_id)
                .where(
                    post_hashtags.c.tag.in_(trending_tags),
                    post_hashtags.c.created_at >= now - TRENDING_POST_WINDOW,
                )
                .order_by(post_hashtags.c.created_at.desc())
                .limit(TRENDING_CAP * 3)
            )
            sources.append(source(posts.c.id.in_(trending_posts), cap=TRENDING_CAP))
        if targets:
            sources.append(
                source(
                    posts.c.language.in_(targets),
                    users.c.native_language == posts.c.language,
                    cap=NATIVE_SPEAKERS_CAP,
                    join_author=True,
                )
            )
        candidate_ids = union(*sources).subquery("candidate_ids")

        author = users.alias("author")
        other = posts.alias("other_posts")
        # My interactions with each author, aggregated once (not per candidate).
        affinity = (
            select(
                engagements.c.author_id,
                func.sum(case((engagements.c.kind == "comment", 2), else_=1)).label("score"),
            )
            .where(
                engagements.c.user_id == viewer_id,
                engagements.c.occurred_at >= now - AFFINITY_WINDOW,
            )
            .group_by(engagements.c.author_id)
            .subquery("affinity")
        )
        # The author's posts in the last 7 days, counted up to a cap (an index range scan of
        # at most ACTIVITY_CAP entries per candidate; the feature is log1p, so it saturates).
        recent = (
            select(other.c.created_at)
            .where(other.c.author_id == posts.c.author_id, other.c.created_at >= since)
            .order_by(other.c.created_at.desc())
            .limit(ACTIVITY_CAP)
            .correlate(posts)
            .subquery("recent")
        )
        author_posts = select(func.count()).select_from(recent).scalar_subquery()
        is_followed = exists().where(
            follows.c.follower_id == viewer_id, follows.c.followee_id == posts.c.author_id
        )
        learns_native = exists().where(
            user_languages.c.user_id == posts.c.author_id, user_languages.c.language == native
        )
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
                author.c.follower_count,
                author.c.native_language.label("author_native"),
                affinity.c.score.label("affinity"),
                author_posts.label("author_posts"),
                is_followed.label("is_followed"),
                learns_native.label("learns_native"),
                posts.c.hashtags,
            )
            .select_from(
                posts.join(candidate_ids, candidate_ids.c.id == posts.c.id)
                .join(author, author.c.id == posts.c.author_id)
                .outerjoin(affinity, affinity.c.author_id == posts.c.author_id)
            )
            .where(
                author_visible(viewer_id, posts.c.author_id, author.c.state),
            )
            .order_by(posts.c.created_at.desc(), posts.c.id.desc())
            .limit(limit)
        )
