"""`SqlMatchingPeers`: my languages, blocks and account states, read through the users
module's published queries (never its tables)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.users.queries import (
    HIDDEN_STATES,
    block_edges,
    blocked_either_way,
    public_users,
    user_languages,
)
from hypehere.application.matching.ports import MatchingProfile
from hypehere.application.matching.views import LearnedLanguageOut, PublicProfile
from hypehere.domain.matching.model import LearnedLanguage
from hypehere.domain.matching.policy import Exclusions, pair_key
from hypehere.domain.shared.languages import CefrLevel

_BLOCKED = select(blocked_either_way(bindparam("a"), bindparam("b")))
ACTIVE = "active"


class SqlMatchingPeers:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def profile(self, user_id: str) -> MatchingProfile | None:
        async with translate_errors():
            user = (
                await self._session.execute(
                    select(public_users.c.native_language, public_users.c.state).where(
                        public_users.c.id == user_id
                    )
                )
            ).first()
            if user is None:
                return None
            rows = (
                await self._session.execute(
                    select(user_languages.c.language, user_languages.c.level)
                    .where(user_languages.c.user_id == user_id)
                    .order_by(user_languages.c.position)
                )
            ).all()
        return MatchingProfile(
            native_language=user.native_language,
            targets=tuple(LearnedLanguage(row.language, CefrLevel(row.level)) for row in rows),
            active=user.state == ACTIVE,
        )

    async def exclusions(self, user_ids: Sequence[str]) -> Exclusions:
        ids = list(dict.fromkeys(user_ids))
        if not ids:
            return Exclusions()
        async with translate_errors():
            states = (
                await self._session.execute(
                    select(public_users.c.id, public_users.c.state).where(
                        public_users.c.id.in_(ids)
                    )
                )
            ).all()
            blocks = (
                await self._session.execute(
                    select(block_edges.c.blocker_id, block_edges.c.blocked_id).where(
                        block_edges.c.blocker_id.in_(ids), block_edges.c.blocked_id.in_(ids)
                    )
                )
            ).all()
        active = {row.id for row in states if row.state == ACTIVE}
        return Exclusions(
            blocked=frozenset(pair_key(row.blocker_id, row.blocked_id) for row in blocks),
            barred=frozenset(user_id for user_id in ids if user_id not in active),
        )

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool:
        async with translate_errors():
            return bool(await self._session.scalar(_BLOCKED, {"a": user_a, "b": user_b}))

    async def public_profiles(self, user_ids: Sequence[str]) -> dict[str, PublicProfile]:
        ids = list(dict.fromkeys(user_ids))
        if not ids:
            return {}
        c = public_users.c
        async with translate_errors():
            users = (
                await self._session.execute(
                    select(
                        c.id,
                        c.handle,
                        c.nickname,
                        c.bio,
                        c.avatar_url,
                        c.native_language,
                        c.follower_count,
                        c.following_count,
                        c.post_count,
                        c.created_at,
                    ).where(c.id.in_(ids), c.state.not_in(HIDDEN_STATES))
                )
            ).all()
            languages = (
                await self._session.execute(
                    select(
                        user_languages.c.user_id, user_languages.c.language, user_languages.c.level
                    )
                    .where(user_languages.c.user_id.in_(ids))
                    .order_by(user_languages.c.user_id, user_languages.c.position)
                )
            ).all()
        learned: dict[str, list[LearnedLanguageOut]] = {}
        for row in languages:
            learned.setdefault(row.user_id, []).append(
                LearnedLanguageOut(language=row.language, level=row.level)
            )
        return {
            row.id: PublicProfile(
                id=row.id,
                handle=row.handle,
                nickname=row.nickname,
                bio=row.bio,
                avatar_url=row.avatar_url,
                native_language=row.native_language,
                target_languages=learned.get(row.id, []),
                follower_count=row.follower_count,
                following_count=row.following_count,
                post_count=row.post_count,
                created_at=row.created_at,
            )
            for row in users
        }
