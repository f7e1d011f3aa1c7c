"""What home timelines (fan-out on write) read from SQL: a post's entry, an author's
followers, a cold user's newest followed posts, the rendering of a page of ids under the
following feed's rules, and the posts of followed celebrities (merged at read time)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import follows, posts, users
from hypehere.adapters.sql.feed.readers import _post_select, _post_view
from hypehere.adapters.sql.users.queries import followees_of
from hypehere.application.feed.ports import TimelineEntry
from hypehere.application.feed.views import PostView
from hypehere.domain.shared.clock import ensure_utc

_VIEWER: BindParameter[str] = bindparam("viewer_id")
# Built once (statement building costs more than running these).
_HYDRATE = _post_select(_VIEWER).where(
    posts.c.id.in_(bindparam("post_ids", expanding=True)),
    posts.c.author_id.in_(followees_of(_VIEWER)),
)
_HYDRATE_LANGUAGE = _HYDRATE.where(posts.c.language == bindparam("language"))
_ENTRY = select(posts.c.author_id, posts.c.created_at).where(posts.c.id == bindparam("post_id"))
_FOLLOWERS = select(follows.c.follower_id).where(follows.c.followee_id == bindparam("user_id"))
_FOLLOWER_COUNT = select(users.c.follower_count).where(users.c.id == bindparam("user_id"))
_RECENT = (
    select(posts.c.id, posts.c.created_at)
    .where(posts.c.author_id.in_(followees_of(bindparam("user_id"))))
    .order_by(posts.c.created_at.desc(), posts.c.id.desc())
    .limit(bindparam("limit"))
)
_CELEBRITIES = (
    select(follows.c.followee_id)
    .select_from(follows.join(users, users.c.id == follows.c.followee_id))
    .where(
        follows.c.follower_id == bindparam("viewer_id"),
        users.c.follower_count > bindparam("threshold"),
    )
)


class SqlHomeTimelineSource:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def entry(self, post_id: str) -> tuple[str, TimelineEntry] | None:
        async with translate_errors():
            row = (await self._session.execute(_ENTRY, {"post_id": post_id})).first()
        if row is None:
            return None
        return row.author_id, TimelineEntry(post_id, ensure_utc(row.created_at))

    async def fan_out_targets(self, author_id: str, celebrity_followers: int) -> list[str] | None:
        if await self.follower_count(author_id) > celebrity_followers:
            return None
        return await self.followers(author_id)

    async def followers(self, user_id: str) -> list[str]:
        async with translate_errors():
            return list((await self._session.scalars(_FOLLOWERS, {"user_id": user_id})).all())

    async def follower_count(self, user_id: str) -> int:
        async with translate_errors():
            count = await self._session.scalar(_FOLLOWER_COUNT, {"user_id": user_id})
        return int(count or 0)

    async def recent_followed(self, user_id: str, limit: int) -> list[TimelineEntry]:
        async with translate_errors():
            rows = await self._session.execute(_RECENT, {"user_id": user_id, "limit": limit})
        return [TimelineEntry(r.id, ensure_utc(r.created_at)) for r in rows]

    async def hydrate(
        self, viewer_id: str, post_ids: Sequence[str], language: str | None, *, staff: bool
    ) -> list[PostView]:
        if not post_ids:
            return []
        params: dict[str, Any] = {"viewer_id": viewer_id, "post_ids": list(post_ids)}
        stmt = _HYDRATE
        if language:
            stmt, params["language"] = _HYDRATE_LANGUAGE, language
        async with translate_errors():
            rows = await self._session.execute(stmt, params)
        by_id = {r.id: _post_view(r, staff) for r in rows}
        return [by_id[i] for i in post_ids if i in by_id]

    async def celebrity_posts(
        self,
        viewer_id: str,
        celebrity_followers: int,
        language: str | None,
        before: TimelineEntry | None,
        limit: int,
        *,
        staff: bool,
    ) -> list[PostView]:
        async with translate_errors():
            authors = list(
                (
                    await self._session.scalars(
                        _CELEBRITIES, {"viewer_id": viewer_id, "threshold": celebrity_followers}
                    )
                ).all()
            )
            if not authors:
                return []
            stmt = _post_select(viewer_id).where(posts.c.author_id.in_(authors))
            if language:
                stmt = stmt.where(posts.c.language == language)
            if before is not None:
                stmt = stmt.where(
                    or_(
                        posts.c.created_at < before.created_at,
                        and_(
                            posts.c.created_at == before.created_at,
                            posts.c.id < before.post_id,
                        ),
                    )
                )
            stmt = stmt.order_by(posts.c.created_at.desc(), posts.c.id.desc()).limit(limit)
            rows = await self._session.execute(stmt)
        return [_post_view(r, staff) for r in rows]
