"""Write side of the feed: posts, comments and likes (exact counters by atomic UPDATE)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import (
    comment_likes,
    comments,
    post_edits,
    post_hashtags,
    post_likes,
    post_spans,
    posts,
)
from hypehere.domain.feed.model import (
    Comment,
    LanguageSpan,
    Mention,
    Post,
    RemovalReason,
)
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.holding import ModerationState


def _mentions_out(mentions: tuple[Mention, ...]) -> list[dict[str, str]]:
    return [{"id": m.user_id, "handle": m.handle} for m in mentions]


def _mentions_in(raw: Any) -> tuple[Mention, ...]:
    return tuple(Mention(str(m["id"]), str(m["handle"])) for m in raw or [])


def _state(held: bool) -> str:
    return (ModerationState.HELD if held else ModerationState.VISIBLE).value


async def held_rows(session: AsyncSession, table: Any, before: datetime, limit: int) -> list[Any]:
    """Held rows of `table` (posts, comments), not removed, written before `before`,
    oldest first: what the moderation re-check goes through."""
    async with translate_errors():
        result = await session.execute(
            select(table)
            .where(
                table.c.moderation_state == ModerationState.HELD.value,
                table.c.removed_at.is_(None),
                table.c.created_at < before,
            )
            .order_by(table.c.created_at, table.c.id)
            .limit(limit)
        )
    return list(result.all())


def post_to_row(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "author_id": post.author_id,
        "content": post.content,
        "language": post.language,
        "detected_language": post.detected_language,
        "language_confidence": post.language_confidence,
        "target_language": post.target_language,
        "hashtags": list(post.hashtags),
        "mentioned_user_ids": list(post.mentioned_user_ids),
        "mentions": _mentions_out(post.mentions),
        "media_urls": list(post.media_urls),
        "like_count": post.like_count,
        "comment_count": post.comment_count,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "removed_at": post.removed_at,
        "removed_reason": str(post.removed_reason) if post.removed_reason else None,
        "moderation_state": _state(post.held),
    }


def post_from_row(row: Any, spans: list[LanguageSpan]) -> Post:
    return Post(
        id=row.id,
        author_id=row.author_id,
        content=row.content,
        language=row.language,
        detected_language=row.detected_language,
        language_confidence=float(row.language_confidence),
        target_language=row.target_language,
        hashtags=tuple(row.hashtags or ()),
        mentions=_mentions_in(row.mentions),
        media_urls=tuple(row.media_urls or ()),
        created_at=ensure_utc(row.created_at),
        edited_at=ensure_utc(row.edited_at) if row.edited_at else None,
        removed_at=ensure_utc(row.removed_at) if row.removed_at else None,
        removed_reason=RemovalReason(row.removed_reason) if row.removed_reason else None,
        held=row.moderation_state == ModerationState.HELD.value,
        language_spans=tuple(spans),
        like_count=int(row.like_count),
        comment_count=int(row.comment_count),
    )


class SqlPostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _insert_children(self, post: Post) -> None:
        if post.hashtags:
            await self._session.execute(
                insert(post_hashtags),
                [
                    {"post_id": post.id, "tag": t, "created_at": post.created_at}
                    for t in post.hashtags
                ],
            )
        if post.language_spans:
            await self._session.execute(
                insert(post_spans),
                [
                    {
                        "post_id": post.id,
                        "position": i,
                        "start_index": s.start,
                        "end_index": s.end,
                        "language": s.language,
                        "confidence": s.confidence,
                    }
                    for i, s in enumerate(post.language_spans)
                ],
            )

    async def add(self, post: Post) -> None:
        async with translate_errors():
            await self._session.execute(insert(posts).values(**post_to_row(post)))
            await self._insert_children(post)

    async def get(self, post_id: str) -> Post | None:
        async with translate_errors():
            row = (await self._session.execute(select(posts).where(posts.c.id == post_id))).first()
            if row is None:
                return None
            span_rows = await self._session.execute(
                select(post_spans)
                .where(post_spans.c.post_id == post_id)
                .order_by(post_spans.c.position)
            )
        spans = [
            LanguageSpan(s.start_index, s.end_index, s.language, float(s.confidence))
            for s in span_rows
        ]
        return post_from_row(row, spans)

    async def held_before(self, before: datetime, limit: int) -> Sequence[Post]:
        rows = await held_rows(self._session, posts, before, limit)
        # spans are left out: the moderation check reads the text only
        return [post_from_row(row, []) for row in rows]

    async def save(self, post: Post) -> None:
        values = post_to_row(post)
        for name in ("id", "author_id", "created_at", "like_count", "comment_count"):
            values.pop(name)
        async with translate_errors():
            await self._session.execute(update(posts).where(posts.c.id == post.id).values(**values))
            await self._session.execute(
                delete(post_hashtags).where(post_hashtags.c.post_id == post.id)
            )
            await self._session.execute(delete(post_spans).where(post_spans.c.post_id == post.id))
            await self._insert_children(post)
            if post.edits:
                await self._session.execute(
                    insert(post_edits),
                    [
                        {
                            "id": e.id,
                            "post_id": e.post_id,
                            "previous_content": e.previous_content,
                            "edited_at": e.edited_at,
                        }
                        for e in post.edits
                    ],
                )
                post.edits.clear()

    async def delete(self, post_id: str) -> None:
        async with translate_errors():
            # Children go explicitly too: SQLite enforces ON DELETE CASCADE only with the
            # foreign_keys pragma, which every connection sets, but be explicit anyway.
            comment_ids = select(comments.c.id).where(comments.c.post_id == post_id)
            await self._session.execute(
                delete(comment_likes).where(comment_likes.c.comment_id.in_(comment_ids))
            )
            for table in (comments, post_likes, post_hashtags, post_edits, post_spans):
                await self._session.execute(delete(table).where(table.c.post_id == post_id))
            await self._session.execute(delete(posts).where(posts.c.id == post_id))


def _comment_from_row(row: Any) -> Comment:
    return Comment(
        id=row.id,
        post_id=row.post_id,
        author_id=row.author_id,
        content=row.content,
        mentions=_mentions_in(row.mentions),
        created_at=ensure_utc(row.created_at),
        removed_at=ensure_utc(row.removed_at) if row.removed_at else None,
        removed_reason=RemovalReason(row.removed_reason) if row.removed_reason else None,
        like_count=int(row.like_count),
        held=row.moderation_state == ModerationState.HELD.value,
    )


class SqlCommentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, comment: Comment) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(comments).values(
                    id=comment.id,
                    post_id=comment.post_id,
                    author_id=comment.author_id,
                    content=comment.content,
                    mentions=_mentions_out(comment.mentions),
                    like_count=0,
                    created_at=comment.created_at,
                    moderation_state=_state(comment.held),
                )
            )
            if not comment.held:  # a held comment is counted when it is released
                await self._count(comment.post_id, +1)

    async def _count(self, post_id: str, by: int) -> None:
        await self._session.execute(
            update(posts)
            .where(posts.c.id == post_id)
            .values(comment_count=posts.c.comment_count + by)
        )

    async def get(self, comment_id: str) -> Comment | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(comments).where(comments.c.id == comment_id))
            ).first()
        return None if row is None else _comment_from_row(row)

    async def held_before(self, before: datetime, limit: int) -> Sequence[Comment]:
        rows = await held_rows(self._session, comments, before, limit)
        return [_comment_from_row(row) for row in rows]

    async def save(self, comment: Comment) -> None:
        async with translate_errors():
            await self._session.execute(
                update(comments)
                .where(comments.c.id == comment.id)
                .values(
                    content=comment.content,
                    removed_at=comment.removed_at,
                    removed_reason=str(comment.removed_reason) if comment.removed_reason else None,
                )
            )
            if not comment.held:
                # released: the state flips once (a conditional UPDATE), and only then is
                # the comment counted
                released = await self._session.execute(
                    update(comments)
                    .where(
                        comments.c.id == comment.id,
                        comments.c.moderation_state == ModerationState.HELD.value,
                    )
                    .values(moderation_state=ModerationState.VISIBLE.value)
                )
                if released.rowcount:  # type: ignore[attr-defined]
                    await self._count(comment.post_id, +1)

    async def delete(self, comment: Comment) -> None:
        async with translate_errors():
            await self._session.execute(
                delete(comment_likes).where(comment_likes.c.comment_id == comment.id)
            )
            result = await self._session.execute(
                delete(comments).where(comments.c.id == comment.id)
            )
            if result.rowcount and not comment.held:  # type: ignore[attr-defined]
                await self._count(comment.post_id, -1)


class SqlLikeStore:
    """INSERT ... ON CONFLICT DO NOTHING, then bump the counter only when a row was
    inserted, in the same transaction: concurrent likers never lose an update."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert_ignore(self, table: Any, values: dict[str, Any]) -> Any:
        dialect = self._session.bind.dialect.name if self._session.bind else "postgresql"
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table).values(**values).on_conflict_do_nothing()
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).values(**values).on_conflict_do_nothing()

    async def _like(self, like_table: Any, fk: str, target_table: Any, target_id: str,
                    user_id: str, now: Any) -> bool:  # fmt: skip
        async with translate_errors():
            result = await self._session.execute(
                self._insert_ignore(
                    like_table, {fk: target_id, "user_id": user_id, "created_at": now}
                )
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return False
            await self._session.execute(
                update(target_table)
                .where(target_table.c.id == target_id)
                .values(like_count=target_table.c.like_count + 1)
            )
            return True

    async def _unlike(self, like_table: Any, fk: str, target_table: Any, target_id: str,
                      user_id: str) -> bool:  # fmt: skip
        async with translate_errors():
            result = await self._session.execute(
                delete(like_table).where(
                    like_table.c[fk] == target_id, like_table.c.user_id == user_id
                )
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return False
            await self._session.execute(
                update(target_table)
                .where(target_table.c.id == target_id)
                .values(like_count=target_table.c.like_count - 1)
            )
            return True

    async def like_post(self, post_id: str, user_id: str, now: Any) -> bool:
        return await self._like(post_likes, "post_id", posts, post_id, user_id, now)

    async def unlike_post(self, post_id: str, user_id: str) -> bool:
        return await self._unlike(post_likes, "post_id", posts, post_id, user_id)

    async def like_comment(self, comment_id: str, user_id: str, now: Any) -> bool:
        return await self._like(comment_likes, "comment_id", comments, comment_id, user_id, now)

    async def unlike_comment(self, comment_id: str, user_id: str) -> bool:
        return await self._unlike(comment_likes, "comment_id", comments, comment_id, user_id)
