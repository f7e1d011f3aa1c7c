"""Read side of the feed: posts and comments rendered for a viewer, one query per page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import (
    Viewer,
    comment_likes,
    comments,
    keyset,
    post_edits,
    post_hashtags,
    post_likes,
    post_spans,
    posts,
    time_key,
    users,
)
from hypehere.adapters.sql.feed.queries import comment_visible_to, post_visible_to
from hypehere.adapters.sql.users.queries import author_visible, followees_of
from hypehere.application.common.views import MentionCard, UserCard
from hypehere.application.feed.views import CommentView, LanguageSpanView, PostEditView, PostView
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows


def _liked(viewer_id: Viewer, table: Any, fk: str, target: Any) -> ColumnElement[bool]:
    if viewer_id is None:
        return literal(False)
    return exists().where(table.c[fk] == target, table.c.user_id == viewer_id)


def _post_select(viewer_id: Viewer) -> Select[Any]:
    return (
        select(
            posts,
            users.c.handle,
            users.c.nickname,
            users.c.avatar_url,
            _liked(viewer_id, post_likes, "post_id", posts.c.id).label("liked_by_me"),
        )
        .select_from(posts.join(users, users.c.id == posts.c.author_id))
        .where(
            author_visible(viewer_id, posts.c.author_id, users.c.state),
            post_visible_to(viewer_id, posts),
        )
    )


# The feed's page render, built once (building it per request cost more than running it).
_POSTS_BY_IDS = _post_select(bindparam("viewer_id")).where(
    posts.c.id.in_(bindparam("post_ids", expanding=True))
)


def _post_view(row: Any, staff: bool, spans: list[LanguageSpanView] | None = None) -> PostView:
    removed = row.removed_at is not None
    return PostView(
        id=row.id,
        author=UserCard(row.author_id, row.handle, row.nickname, row.avatar_url),
        content="" if removed and not staff else row.content,
        language=row.language,
        detected_language=row.detected_language,
        language_confidence=float(row.language_confidence),
        target_language=row.target_language,
        hashtags=list(row.hashtags or ()),
        mentions=[MentionCard(str(m["id"]), str(m["handle"])) for m in row.mentions or ()],
        media_urls=list(row.media_urls or ()),
        like_count=int(row.like_count),
        comment_count=int(row.comment_count),
        liked_by_me=bool(row.liked_by_me),
        created_at=ensure_utc(row.created_at),
        edited_at=ensure_utc(row.edited_at) if row.edited_at else None,
        removed=removed,
        removed_reason=row.removed_reason,
        original_content=row.content if removed and staff else None,
        language_spans=spans or [],
        moderation=row.moderation_state,
    )


class SqlPostReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _page(self, stmt: Select[Any], page: PageRequest, staff: bool) -> Page[PostView]:
        stmt = (
            stmt.where(keyset(posts.c.created_at, posts.c.id, page.cursor, desc=True))
            .order_by(posts.c.created_at.desc(), posts.c.id.desc())
            .limit(page.limit + 1)
        )
        async with translate_errors():
            rows = list(await self._session.execute(stmt))
        result = page_from_rows(rows, page.limit, lambda r: time_key(r.created_at, r.id))
        return Page([_post_view(r, staff) for r in result.items], result.next_cursor)

    async def get(self, viewer_id: str | None, post_id: str, *, staff: bool) -> PostView | None:
        async with translate_errors():
            row = (
                await self._session.execute(_post_select(viewer_id).where(posts.c.id == post_id))
            ).first()
            if row is None:
                return None
            spans = [
                LanguageSpanView(s.start_index, s.end_index, s.language, float(s.confidence))
                for s in await self._session.execute(
                    select(post_spans)
                    .where(post_spans.c.post_id == post_id)
                    .order_by(post_spans.c.position)
                )
            ]
        return _post_view(row, staff, spans)

    async def get_many(
        self, viewer_id: str, post_ids: Sequence[str], *, staff: bool
    ) -> list[PostView]:
        if not post_ids:
            return []
        async with translate_errors():
            rows = await self._session.execute(
                _POSTS_BY_IDS, {"viewer_id": viewer_id, "post_ids": list(post_ids)}
            )
        by_id = {r.id: _post_view(r, staff) for r in rows}
        return [by_id[i] for i in post_ids if i in by_id]

    async def following(
        self, viewer_id: str, language: str | None, page: PageRequest, *, staff: bool
    ) -> Page[PostView]:
        followed = followees_of(viewer_id)
        stmt = _post_select(viewer_id).where(posts.c.author_id.in_(followed))
        if language:
            stmt = stmt.where(posts.c.language == language)
        return await self._page(stmt, page, staff)

    async def by_hashtag(
        self,
        viewer_id: str | None,
        tag: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]:
        tagged = exists().where(post_hashtags.c.post_id == posts.c.id, post_hashtags.c.tag == tag)
        stmt = _post_select(viewer_id).where(tagged)
        if language:
            stmt = stmt.where(posts.c.language == language)
        return await self._page(stmt, page, staff)

    async def by_author(
        self,
        viewer_id: str | None,
        author_id: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]:
        stmt = _post_select(viewer_id).where(posts.c.author_id == author_id)
        if language:
            stmt = stmt.where(posts.c.language == language)
        return await self._page(stmt, page, staff)

    async def edits(self, post_id: str) -> list[PostEditView]:
        async with translate_errors():
            rows = await self._session.execute(
                select(post_edits.c.previous_content, post_edits.c.edited_at)
                .where(post_edits.c.post_id == post_id)
                .order_by(post_edits.c.edited_at.desc(), post_edits.c.id.desc())
            )
        return [PostEditView(r.previous_content, ensure_utc(r.edited_at)) for r in rows]


def _comment_select(viewer_id: str | None) -> Select[Any]:
    return (
        select(
            comments,
            users.c.handle,
            users.c.nickname,
            users.c.avatar_url,
            _liked(viewer_id, comment_likes, "comment_id", comments.c.id).label("liked_by_me"),
        )
        .select_from(comments.join(users, users.c.id == comments.c.author_id))
        .where(
            author_visible(viewer_id, comments.c.author_id, users.c.state),
            comment_visible_to(viewer_id, comments),
        )
    )


def _comment_view(row: Any, staff: bool) -> CommentView:
    removed = row.removed_at is not None
    return CommentView(
        id=row.id,
        post_id=row.post_id,
        author=UserCard(row.author_id, row.handle, row.nickname, row.avatar_url),
        content="" if removed and not staff else row.content,
        like_count=int(row.like_count),
        liked_by_me=bool(row.liked_by_me),
        created_at=ensure_utc(row.created_at),
        removed=removed,
        removed_reason=row.removed_reason,
        original_content=row.content if removed and staff else None,
        moderation=row.moderation_state,
    )


class SqlCommentReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_post(
        self, viewer_id: str | None, post_id: str, page: PageRequest, *, staff: bool
    ) -> Page[CommentView]:
        stmt = (
            _comment_select(viewer_id)
            .where(
                comments.c.post_id == post_id,
                keyset(comments.c.created_at, comments.c.id, page.cursor, desc=False),
            )
            .order_by(comments.c.created_at, comments.c.id)
            .limit(page.limit + 1)
        )
        async with translate_errors():
            rows = list(await self._session.execute(stmt))
        result = page_from_rows(rows, page.limit, lambda r: time_key(r.created_at, r.id))
        return Page([_comment_view(r, staff) for r in result.items], result.next_cursor)

    async def get(
        self, viewer_id: str | None, comment_id: str, *, staff: bool
    ) -> CommentView | None:
        post_author = users.alias("post_author")
        post_visible = (
            exists()
            .select_from(posts.join(post_author, post_author.c.id == posts.c.author_id))
            .where(
                posts.c.id == comments.c.post_id,
                author_visible(viewer_id, posts.c.author_id, post_author.c.state),
                post_visible_to(viewer_id, posts),
            )
        )
        stmt = _comment_select(viewer_id).where(comments.c.id == comment_id, post_visible)
        async with translate_errors():
            row = (await self._session.execute(stmt)).first()
        return _comment_view(row, staff) if row is not None else None
