"""Learners: a user's native and target languages, read through the users module's
published queries (never its tables)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.users.queries import public_users, user_languages
from hypehere.application.learning.ports import Learner


class SqlLearnerDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def learner(self, user_id: str) -> Learner | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(
                        public_users.c.native_language,
                        public_users.c.timezone,
                        public_users.c.desired_retention,
                    ).where(public_users.c.id == user_id)
                )
            ).first()
            if row is None:
                return None
            targets = (
                await self._session.execute(
                    select(user_languages.c.language)
                    .where(user_languages.c.user_id == user_id)
                    .order_by(user_languages.c.position)
                )
            ).scalars()
            return Learner(
                user_id=user_id,
                native_language=row.native_language,
                target_languages=tuple(targets),
                timezone=row.timezone,
                desired_retention=float(row.desired_retention),
            )
