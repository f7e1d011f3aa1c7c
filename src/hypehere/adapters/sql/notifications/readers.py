"""Read side of the notifications module: the inbox page (actors joined from the users
module's published read handle), and the lookups the composer needs about users
(followers, blocks, reachability, actor summaries) through `users/queries.py`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.notifications.common import ACTOR_COLUMNS, chunks, notifications_t
from hypehere.adapters.sql.users.queries import block_edges, follow_edges, public_users
from hypehere.application.common.views import UserCard
from hypehere.application.notifications.ports import NotificationView, TargetView
from hypehere.domain.notifications.model import MAX_ACTORS
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import InvalidCursorError, Page, PageRequest, page_from_rows

users_t = public_users
follows_t = follow_edges
blocks_t = block_edges
UNREACHABLE_STATES = ("banned", "deleted")  # account states that get no notifications


class SqlNotificationReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_for(
        self, recipient_id: str, *, unread_only: bool, page: PageRequest
    ) -> Page[NotificationView]:
        n = notifications_t
        actors = [users_t.alias(f"actor_{i}") for i in range(1, MAX_ACTORS + 1)]
        columns: list[Any] = [n]
        for i, alias in enumerate(actors, start=1):
            columns += [
                alias.c.handle.label(f"a{i}_handle"),
                alias.c.nickname.label(f"a{i}_nickname"),
                alias.c.avatar_url.label(f"a{i}_avatar_url"),
            ]
        source: Any = n
        for column, alias in zip(ACTOR_COLUMNS, actors, strict=True):
            source = source.outerjoin(alias, alias.c.id == n.c[column])
        query = select(*columns).select_from(source).where(n.c.recipient_id == recipient_id)
        if unread_only:
            query = query.where(n.c.read_at.is_(None))
        if page.cursor is not None:
            try:
                at = ensure_utc(datetime.fromisoformat(str(page.cursor[0])))
            except ValueError as exc:
                raise InvalidCursorError("The cursor is not valid") from exc
            last_id = str(page.cursor[1])
            query = query.where(
                or_(n.c.updated_at < at, and_(n.c.updated_at == at, n.c.id < last_id))
            )
        query = query.order_by(n.c.updated_at.desc(), n.c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        views = [self._view(row) for row in rows]
        return page_from_rows(views, page.limit, lambda v: (v.updated_at.isoformat(), v.id))

    @staticmethod
    def _view(row: Any) -> NotificationView:
        actors = []
        for i, column in enumerate(ACTOR_COLUMNS, start=1):
            actor_id = getattr(row, column)
            handle = getattr(row, f"a{i}_handle")
            if actor_id and handle is not None:
                actors.append(
                    UserCard(
                        id=actor_id,
                        handle=handle,
                        nickname=getattr(row, f"a{i}_nickname"),
                        avatar_url=getattr(row, f"a{i}_avatar_url"),
                    )
                )
        return NotificationView(
            id=row.id,
            kind=row.kind,
            actors=actors,
            actor_count=row.actor_count,
            target=TargetView(
                type=row.target_type, id=row.target_id, parent_id=row.target_parent_id
            ),
            read=row.read_at is not None,
            created_at=ensure_utc(row.created_at),
            updated_at=ensure_utc(row.updated_at),
        )


class SqlNotificationAudience:
    """Followers and blocks, read from the users module's tables."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def follower_ids(self, user_id: str, *, after: str | None, limit: int) -> list[str]:
        query = select(follows_t.c.follower_id).where(follows_t.c.followee_id == user_id)
        if after is not None:
            query = query.where(follows_t.c.follower_id > after)
        query = query.order_by(follows_t.c.follower_id).limit(limit)
        async with translate_errors():
            return list((await self._session.execute(query)).scalars())

    async def blocked_among(self, user_id: str, other_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        async with translate_errors():
            for chunk in chunks(other_ids):
                rows = await self._session.execute(
                    select(blocks_t.c.blocker_id, blocks_t.c.blocked_id).where(
                        or_(
                            and_(
                                blocks_t.c.blocker_id == user_id, blocks_t.c.blocked_id.in_(chunk)
                            ),
                            and_(
                                blocks_t.c.blocked_id == user_id, blocks_t.c.blocker_id.in_(chunk)
                            ),
                        )
                    )
                )
                for blocker, blocked in rows.tuples():
                    found.add(blocked if blocker == user_id else blocker)
        return found

    async def blocked_pairs(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        users = list(dict.fromkeys(u for pair in pairs for u in pair))
        edges: set[tuple[str, str]] = set()
        async with translate_errors():
            for blockers in chunks(users):
                for blocked in chunks(users):
                    rows = await self._session.execute(
                        select(blocks_t.c.blocker_id, blocks_t.c.blocked_id).where(
                            blocks_t.c.blocker_id.in_(blockers), blocks_t.c.blocked_id.in_(blocked)
                        )
                    )
                    edges.update(rows.tuples())
        return {(a, b) for a, b in pairs if (a, b) in edges or (b, a) in edges}

    async def reachable(self, user_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        async with translate_errors():
            for chunk in chunks(user_ids):
                rows = await self._session.execute(
                    select(users_t.c.id).where(
                        users_t.c.id.in_(chunk), users_t.c.state.not_in(UNREACHABLE_STATES)
                    )
                )
                found.update(rows.scalars())
        return found


class SqlUserDirectory:
    """Public user summaries for notification actors, read from `users`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def summaries(self, user_ids: Sequence[str]) -> dict[str, UserCard]:
        out: dict[str, UserCard] = {}
        async with translate_errors():
            for chunk in chunks(user_ids):
                rows = await self._session.execute(
                    select(
                        users_t.c.id, users_t.c.handle, users_t.c.nickname, users_t.c.avatar_url
                    ).where(users_t.c.id.in_(chunk))
                )
                for row in rows:
                    out[row.id] = UserCard(
                        id=row.id,
                        handle=row.handle,
                        nickname=row.nickname,
                        avatar_url=row.avatar_url,
                    )
        return out
