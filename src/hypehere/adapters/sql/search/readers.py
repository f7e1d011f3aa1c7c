"""SQL read side of search: current posts and users as documents to index, and hits
rendered for a viewer (posts and users, through the feed's and the users module's published
read-only queries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, literal, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.queries import post_liked_by, post_visible_to, public_posts
from hypehere.adapters.sql.learning.queries import public_expressions, public_lessons
from hypehere.adapters.sql.users.queries import (
    VISIBLE_STATES,
    blocked_ids_of,
    follows_clause,
    public_users,
    user_languages,
    visible_to,
)
from hypehere.application.common.views import LanguageLevel, MentionCard, UserCard
from hypehere.application.search.views import (
    LessonResult,
    PostResult,
    UserResult,
    display_text,
)
from hypehere.domain.search.model import (
    SearchDocument,
    SearchKind,
    lesson_documents,
    lesson_id_of,
)
from hypehere.domain.shared.clock import ensure_utc

# The feed's, the users and the learning module's published read handles (`queries.py`).
posts = public_posts
users = public_users
lessons = public_lessons
expressions = public_expressions


def user_text(handle: str, nickname: str, bio: str) -> str:
    return f"{handle} {nickname} {bio}".strip()


class SqlSearchSource:
    """Posts are indexed while they exist and are not removed (an author's account state
    is checked when rendering, so reactivation needs no reindex); users while visible."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _post(row: Any) -> SearchDocument:
        return SearchDocument(
            kind=SearchKind.POSTS,
            id=row.id,
            text=row.content,
            language=row.language,
            owner_id=row.author_id,
            created_at=ensure_utc(row.created_at),
        )

    @staticmethod
    def _user(row: Any) -> SearchDocument:
        return SearchDocument(
            kind=SearchKind.USERS,
            id=row.id,
            text=user_text(row.handle, row.nickname, row.bio),
            language=row.native_language,
            owner_id=row.id,
            created_at=ensure_utc(row.created_at),
        )

    _post_columns = (
        posts.c.id,
        posts.c.content,
        posts.c.language,
        posts.c.author_id,
        posts.c.created_at,
    )
    _user_columns = (
        users.c.id,
        users.c.handle,
        users.c.nickname,
        users.c.bio,
        users.c.native_language,
        users.c.created_at,
    )

    async def post_document(self, post_id: str) -> SearchDocument | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(*self._post_columns).where(
                        posts.c.id == post_id,
                        posts.c.removed_at.is_(None),
                        post_visible_to(None, posts),
                    )
                )
            ).first()
        return self._post(row) if row is not None else None

    async def user_document(self, user_id: str) -> SearchDocument | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(*self._user_columns).where(
                        users.c.id == user_id, users.c.state.in_(VISIBLE_STATES)
                    )
                )
            ).first()
        return self._user(row) if row is not None else None

    async def lesson_documents(self, lesson_id: str) -> list[SearchDocument]:
        return await self._lesson_documents([lesson_id])

    async def _lesson_documents(self, lesson_ids: Sequence[str]) -> list[SearchDocument]:
        """The documents of these lessons, by document id."""
        if not lesson_ids:
            return []
        async with translate_errors():
            heads = list(
                await self._session.execute(
                    select(lessons.c.id, lessons.c.title, lessons.c.languages).where(
                        lessons.c.id.in_(list(lesson_ids))
                    )
                )
            )
            rows = list(
                await self._session.execute(
                    select(expressions.c.lesson_id, expressions.c.text, expressions.c.romanization)
                    .where(expressions.c.lesson_id.in_(list(lesson_ids)))
                    .order_by(expressions.c.lesson_id, expressions.c.position, expressions.c.id)
                )
            )
        texts: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = {}
        for row in rows:
            texts.setdefault(row.lesson_id, []).append(
                (dict(row.text), dict(row.romanization or {}))
            )
        documents = [
            document
            for head in heads
            for document in lesson_documents(
                head.id, list(head.languages), dict(head.title), texts.get(head.id, [])
            )
        ]
        return sorted(documents, key=lambda d: d.id)

    async def documents(
        self, kind: SearchKind, after_id: str | None, limit: int
    ) -> list[SearchDocument]:
        if kind is SearchKind.LESSONS:
            # Paged by lesson: every document of a lesson comes in the same batch, and the
            # last document's id sorts after its lesson's id, so the next batch starts after.
            stmt = select(lessons.c.id)
            if after_id is not None:
                stmt = stmt.where(lessons.c.id > lesson_id_of(after_id))
            async with translate_errors():
                ids = list(
                    (
                        await self._session.execute(stmt.order_by(lessons.c.id).limit(limit))
                    ).scalars()
                )
            return await self._lesson_documents(ids)
        if kind is SearchKind.POSTS:
            stmt = select(*self._post_columns).where(
                posts.c.removed_at.is_(None), post_visible_to(None, posts)
            )
            key = posts.c.id
        elif kind is SearchKind.USERS:
            stmt = select(*self._user_columns).where(users.c.state.in_(VISIBLE_STATES))
            key = users.c.id
        else:
            return []
        if after_id is not None:
            stmt = stmt.where(key > after_id)
        async with translate_errors():
            rows = list(await self._session.execute(stmt.order_by(key).limit(limit)))
        convert = self._post if kind is SearchKind.POSTS else self._user
        return [convert(row) for row in rows]


class SqlSearchResultReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def hidden_owner_ids(self, viewer_id: str) -> frozenset[str]:
        stmt = union(*blocked_ids_of(viewer_id))
        async with translate_errors():
            return frozenset(str(r) for r in (await self._session.execute(stmt)).scalars())

    async def posts(self, ids: Sequence[str], viewer_id: str | None) -> list[PostResult]:
        if not ids:
            return []
        liked: ColumnElement[bool] = (
            post_liked_by(posts.c.id, viewer_id) if viewer_id is not None else literal(False)
        )
        stmt = (
            select(
                posts,
                users.c.handle,
                users.c.nickname,
                users.c.avatar_url,
                liked.label("liked_by_me"),
            )
            .select_from(posts.join(users, users.c.id == posts.c.author_id))
            .where(
                posts.c.id.in_(list(ids)),
                posts.c.removed_at.is_(None),
                post_visible_to(None, posts),
                visible_to(viewer_id, posts.c.author_id, users.c.state),
            )
        )
        async with translate_errors():
            rows = list(await self._session.execute(stmt))
        by_id = {
            row.id: PostResult(
                id=row.id,
                author=UserCard(row.author_id, row.handle, row.nickname, row.avatar_url),
                content=row.content,
                language=row.language,
                detected_language=row.detected_language,
                target_language=row.target_language,
                hashtags=list(row.hashtags or ()),
                mentions=[MentionCard(str(m["id"]), str(m["handle"])) for m in row.mentions or ()],
                media_urls=list(row.media_urls or ()),
                like_count=int(row.like_count),
                comment_count=int(row.comment_count),
                liked_by_me=bool(row.liked_by_me),
                created_at=ensure_utc(row.created_at),
                edited_at=ensure_utc(row.edited_at) if row.edited_at else None,
            )
            for row in rows
        }
        return [by_id[i] for i in ids if i in by_id]

    async def searcher_languages(self, viewer_id: str) -> tuple[str, ...]:
        async with translate_errors():
            native = (
                await self._session.execute(
                    select(users.c.native_language).where(users.c.id == viewer_id)
                )
            ).scalar_one_or_none()
            targets = list(
                (
                    await self._session.execute(
                        select(user_languages.c.language)
                        .where(user_languages.c.user_id == viewer_id)
                        .order_by(user_languages.c.position)
                    )
                ).scalars()
            )
        found = ([native] if native else []) + targets
        return tuple(dict.fromkeys(str(language) for language in found))

    async def lessons(
        self, lesson_ids: Sequence[str], display_languages: Sequence[str]
    ) -> list[LessonResult]:
        if not lesson_ids:
            return []
        async with translate_errors():
            rows = list(
                await self._session.execute(
                    select(lessons).where(lessons.c.id.in_(list(lesson_ids)))
                )
            )
        by_id = {
            row.id: LessonResult(
                id=row.id,
                key=row.key,
                category_id=row.category_id,
                position=row.position,
                level=row.level,
                title=display_text(dict(row.title), display_languages),
                description=display_text(dict(row.description), display_languages),
                languages=sorted(row.languages),
                expression_count=int(row.expression_count),
            )
            for row in rows
        }
        return [by_id[i] for i in lesson_ids if i in by_id]

    async def users(self, ids: Sequence[str], viewer_id: str | None) -> list[UserResult]:
        if not ids:
            return []
        flags: list[Any] = []
        if viewer_id is not None:
            flags = [
                follows_clause(viewer_id, users.c.id).label("is_following"),
                follows_clause(users.c.id, viewer_id).label("is_followed_by"),
            ]
        stmt = select(users, *flags).where(
            users.c.id.in_(list(ids)), visible_to(viewer_id, users.c.id, users.c.state)
        )
        async with translate_errors():
            rows = list(await self._session.execute(stmt))
            languages: dict[str, list[LanguageLevel]] = {row.id: [] for row in rows}
            if rows:
                for lang in await self._session.execute(
                    select(user_languages)
                    .where(user_languages.c.user_id.in_(list(languages)))
                    .order_by(user_languages.c.user_id, user_languages.c.position)
                ):
                    languages[lang.user_id].append(LanguageLevel(lang.language, lang.level))
        signed_in = viewer_id is not None
        by_id = {
            row.id: UserResult(
                id=row.id,
                handle=row.handle,
                nickname=row.nickname,
                bio=row.bio,
                avatar_url=row.avatar_url,
                native_language=row.native_language,
                target_languages=languages[row.id],
                follower_count=int(row.follower_count),
                following_count=int(row.following_count),
                post_count=int(row.post_count),
                created_at=ensure_utc(row.created_at),
                is_following=bool(row.is_following) if signed_in else None,
                is_followed_by=bool(row.is_followed_by) if signed_in else None,
                is_blocking=False if signed_in else None,  # blocked users are not shown
            )
            for row in rows
        }
        return [by_id[i] for i in ids if i in by_id]
