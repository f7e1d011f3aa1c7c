"""Read side of the users module: profiles and user lists as view structs.

A page is one query for the users (viewer flags as correlated EXISTS) plus one for their
target languages; never one query per row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, literal, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.users.tables import blocks_t, follows_t, langs_t, users_t
from hypehere.application.common.views import LanguageLevel
from hypehere.application.users.views import ProfileView, RelationshipView
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.shared.pagination import InvalidCursorError, Page, PageRequest, encode_cursor
from hypehere.domain.users.model import VISIBLE_STATES, AccountState
from hypehere.domain.users.partners import PartnerCandidate, PartnerSeeker

_VISIBLE = [state.value for state in VISIBLE_STATES]


def _follows(follower: Any, followee: Any) -> Any:
    return exists().where(follows_t.c.follower_id == follower, follows_t.c.followee_id == followee)


def _blocks(blocker: Any, blocked: Any) -> Any:
    return exists().where(blocks_t.c.blocker_id == blocker, blocks_t.c.blocked_id == blocked)


def _viewer_columns(viewer_id: str | None) -> list[Any]:
    if viewer_id is None:
        return []
    return [
        _follows(viewer_id, users_t.c.id).label("is_following"),
        _follows(users_t.c.id, viewer_id).label("is_followed_by"),
        _blocks(viewer_id, users_t.c.id).label("is_blocking"),
        _blocks(users_t.c.id, viewer_id).label("is_blocked_by"),
    ]


def _not_blocked_with(viewer_id: str | None) -> Any:
    if viewer_id is None:
        return literal(True)
    return and_(not_(_blocks(viewer_id, users_t.c.id)), not_(_blocks(users_t.c.id, viewer_id)))


def _flag(row: Any, name: str, viewer_id: str | None) -> bool | None:
    if viewer_id is None:
        return None
    return bool(getattr(row, name))


def _parse_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidCursorError("The cursor is not valid")
    try:
        return ensure_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


class SqlUserReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _languages(self, ids: Sequence[str]) -> dict[str, list[LanguageLevel]]:
        out: dict[str, list[LanguageLevel]] = {i: [] for i in ids}
        if not ids:
            return out
        rows = await self._session.execute(
            select(langs_t.c.user_id, langs_t.c.language, langs_t.c.level)
            .where(langs_t.c.user_id.in_(list(ids)))
            .order_by(langs_t.c.user_id, langs_t.c.position)
        )
        for row in rows:
            out[row.user_id].append(LanguageLevel(language=row.language, level=row.level))
        return out

    async def _views(self, rows: Sequence[Any], viewer_id: str | None) -> list[ProfileView]:
        languages = await self._languages([row.id for row in rows])
        return [
            ProfileView(
                id=row.id,
                handle=row.handle,
                nickname=row.nickname,
                bio=row.bio,
                avatar_url=row.avatar_url,
                native_language=row.native_language,
                target_languages=languages[row.id],
                follower_count=row.follower_count,
                following_count=row.following_count,
                post_count=row.post_count,
                created_at=ensure_utc(row.created_at),
                state=row.state,
                show_followers_list=row.show_followers_list,
                show_following_list=row.show_following_list,
                corrections_accepted=row.corrections_accepted,
                is_following=_flag(row, "is_following", viewer_id),
                is_followed_by=_flag(row, "is_followed_by", viewer_id),
                is_blocking=_flag(row, "is_blocking", viewer_id),
                is_blocked_by=_flag(row, "is_blocked_by", viewer_id),
            )
            for row in rows
        ]

    def _base(self, viewer_id: str | None, *extra: Any) -> Any:
        return select(
            users_t.c.id,
            users_t.c.handle,
            users_t.c.nickname,
            users_t.c.bio,
            users_t.c.avatar_url,
            users_t.c.native_language,
            users_t.c.follower_count,
            users_t.c.following_count,
            users_t.c.post_count,
            users_t.c.corrections_accepted,
            users_t.c.created_at,
            users_t.c.state,
            users_t.c.show_followers_list,
            users_t.c.show_following_list,
            *_viewer_columns(viewer_id),
            *extra,
        )

    async def profile(self, user_id: str, viewer_id: str | None) -> ProfileView | None:
        async with translate_errors():
            row = (
                await self._session.execute(self._base(viewer_id).where(users_t.c.id == user_id))
            ).first()
            if row is None:
                return None
            return (await self._views([row], viewer_id))[0]

    async def summaries(self, user_ids: Sequence[str]) -> list[ProfileView]:
        return await self.profiles(user_ids, None)

    async def profiles(self, user_ids: Sequence[str], viewer_id: str | None) -> list[ProfileView]:
        if not user_ids:
            return []
        async with translate_errors():
            rows = (
                await self._session.execute(
                    self._base(viewer_id).where(users_t.c.id.in_(list(user_ids)))
                )
            ).all()
            views = {view.id: view for view in await self._views(rows, viewer_id)}
        return [views[i] for i in user_ids if i in views]

    async def _edge_page(
        self,
        *,
        edge_time: Any,
        join_on: Any,
        where: Any,
        viewer_id: str | None,
        page: PageRequest,
        table: Any,
        hide_blocked: bool = True,
    ) -> Page[ProfileView]:
        query = (
            self._base(viewer_id, edge_time.label("edge_at"))
            .select_from(table.join(users_t, join_on))
            .where(where, users_t.c.state.in_(_VISIBLE))
        )
        if hide_blocked:
            query = query.where(_not_blocked_with(viewer_id))
        if page.cursor is not None:
            if len(page.cursor) != 2 or not isinstance(page.cursor[1], str):
                raise InvalidCursorError("The cursor is not valid")
            at, last_id = _parse_time(page.cursor[0]), page.cursor[1]
            query = query.where(or_(edge_time < at, and_(edge_time == at, users_t.c.id < last_id)))
        query = query.order_by(edge_time.desc(), users_t.c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
            views = await self._views(rows[: page.limit], viewer_id)
        next_cursor = None
        if len(rows) > page.limit:
            last = rows[page.limit - 1]
            next_cursor = encode_cursor((ensure_utc(last.edge_at).isoformat(), last.id))
        return Page(items=views, next_cursor=next_cursor)

    async def _follow_page(
        self, listed: str, owner: str, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]:
        """The users on the `listed` side of `user_id`'s follows (`user_id` on `owner`)."""
        edge = follows_t.alias("edge")
        return await self._edge_page(
            edge_time=edge.c.created_at,
            join_on=users_t.c.id == edge.c[listed],
            where=edge.c[owner] == user_id,
            viewer_id=viewer_id,
            page=page,
            table=edge,
        )

    async def followers(
        self, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]:
        return await self._follow_page("follower_id", "followee_id", user_id, viewer_id, page)

    async def following(
        self, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]:
        return await self._follow_page("followee_id", "follower_id", user_id, viewer_id, page)

    async def blocked_by(self, user_id: str, page: PageRequest) -> Page[ProfileView]:
        edge = blocks_t.alias("edge")
        return await self._edge_page(
            edge_time=edge.c.created_at,
            join_on=users_t.c.id == edge.c.blocked_id,
            where=edge.c.blocker_id == user_id,
            viewer_id=user_id,
            page=page,
            hide_blocked=False,
            table=edge,
        )

    async def relationship(self, viewer_id: str, user_id: str) -> RelationshipView:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(
                        _follows(viewer_id, user_id).label("is_following"),
                        _follows(user_id, viewer_id).label("is_followed_by"),
                        _blocks(viewer_id, user_id).label("is_blocking"),
                        _blocks(user_id, viewer_id).label("is_blocked_by"),
                    )
                )
            ).one()
        return RelationshipView(
            is_following=bool(row.is_following),
            is_followed_by=bool(row.is_followed_by),
            is_blocking=bool(row.is_blocking),
            is_blocked_by=bool(row.is_blocked_by),
        )

    async def partner_candidates(self, seeker: PartnerSeeker, limit: int) -> list[PartnerCandidate]:
        """One statement: the seeker's language pairs, minus blocks either way and the
        accounts the seeker follows; the ranking is the domain's (`rank_partners`)."""
        targets = [t.language for t in seeker.target_languages]
        if not targets:
            return []
        learns = langs_t.alias("learns")
        query = (
            select(
                users_t.c.id,
                users_t.c.native_language,
                learns.c.level,
                users_t.c.last_active_at,
            )
            .select_from(
                users_t.join(
                    learns,
                    and_(
                        learns.c.user_id == users_t.c.id,
                        learns.c.language == seeker.native_language,
                    ),
                )
            )
            .where(
                users_t.c.id != seeker.user_id,
                users_t.c.state == AccountState.ACTIVE.value,
                users_t.c.native_language.in_(targets),
                _not_blocked_with(seeker.user_id),
                not_(_follows(seeker.user_id, users_t.c.id)),
            )
            .order_by(users_t.c.last_active_at.desc().nulls_last(), users_t.c.id.desc())
            .limit(limit)
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [
            PartnerCandidate(
                user_id=row.id,
                native_language=row.native_language,
                learning_level=CefrLevel(row.level),
                last_active_at=None
                if row.last_active_at is None
                else ensure_utc(row.last_active_at),
            )
            for row in rows
        ]
