"""SQL repositories of the users module (PostgreSQL and SQLite)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    String,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import is_unique_violation, translate_errors
from hypehere.adapters.sql.users.tables import (
    blocks_t,
    follows_t,
    langs_t,
    marks_t,
    tokens_t,
    users_t,
)
from hypehere.application.users.views import AccountStatus
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.users.errors import EmailTakenError, HandleTakenError
from hypehere.domain.users.model import (
    AccountState,
    ChatPolicy,
    ListVisibility,
    Privacy,
    RefreshToken,
    TargetLanguage,
    User,
    UserRole,
)


def _opt_utc(value: datetime | None) -> datetime | None:
    return ensure_utc(value) if value is not None else None


def user_to_domain(row: Any, languages: Sequence[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        handle=row.handle,
        nickname=row.nickname,
        password_hash=row.password_hash,
        native_language=row.native_language,
        interface_language=row.interface_language,
        created_at=ensure_utc(row.created_at),
        updated_at=ensure_utc(row.updated_at),
        target_languages=tuple(
            TargetLanguage(language=lang.language, level=CefrLevel(lang.level))
            for lang in sorted(languages, key=lambda item: item.position)
        ),
        bio=row.bio,
        avatar_url=row.avatar_url,
        role=UserRole(row.role),
        state=AccountState(row.state),
        state_changed_at=_opt_utc(row.state_changed_at),
        suspended_until=_opt_utc(row.suspended_until),
        suspension_reason=row.suspension_reason,
        privacy=Privacy(
            show_followers_list=ListVisibility(row.show_followers_list),
            show_following_list=ListVisibility(row.show_following_list),
        ),
        chat_policy=ChatPolicy(row.chat_policy),
        send_read_receipts=bool(row.send_read_receipts),
        timezone=row.timezone,
        desired_retention=float(row.desired_retention),
        follower_count=row.follower_count,
        following_count=row.following_count,
        post_count=row.post_count,
        corrections_accepted=row.corrections_accepted,
        report_count=row.report_count,
        last_active_at=_opt_utc(row.last_active_at),
        tokens_valid_after=_opt_utc(row.tokens_valid_after),
    )


def _mutable_columns(user: User) -> dict[str, Any]:
    """Everything `save` writes: never the counters."""
    return {
        "email": user.email,
        "handle": user.handle,
        "nickname": user.nickname,
        "bio": user.bio,
        "avatar_url": user.avatar_url,
        "native_language": user.native_language,
        "interface_language": user.interface_language,
        "password_hash": user.password_hash,
        "role": user.role.value,
        "state": user.state.value,
        "state_changed_at": user.state_changed_at,
        "suspended_until": user.suspended_until,
        "suspension_reason": user.suspension_reason,
        "show_followers_list": user.privacy.show_followers_list.value,
        "show_following_list": user.privacy.show_following_list.value,
        "chat_policy": user.chat_policy.value,
        "send_read_receipts": user.send_read_receipts,
        "timezone": user.timezone,
        "desired_retention": user.desired_retention,
        "updated_at": user.updated_at,
        "last_active_at": user.last_active_at,
        "tokens_valid_after": user.tokens_valid_after,
    }


def _raise_identity_conflict(exc: IntegrityError) -> None:
    if is_unique_violation(exc):
        text = str(exc.orig).lower()
        if "email" in text:
            raise EmailTakenError("The email is already registered") from exc
        if "handle" in text:
            raise HandleTakenError("The handle is taken") from exc


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _load(self, condition: Any) -> User | None:
        async with translate_errors():
            row = (await self._session.execute(select(users_t).where(condition))).first()
            if row is None:
                return None
            languages = (
                await self._session.execute(select(langs_t).where(langs_t.c.user_id == row.id))
            ).all()
        return user_to_domain(row, languages)

    async def get(self, user_id: str) -> User | None:
        return await self._load(users_t.c.id == user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self._load(users_t.c.email == email)

    async def get_by_handle(self, handle: str) -> User | None:
        return await self._load(users_t.c.handle == handle)

    async def add(self, user: User) -> None:
        values = _mutable_columns(user) | {
            "id": user.id,
            "created_at": user.created_at,
            "follower_count": user.follower_count,
            "following_count": user.following_count,
            "post_count": user.post_count,
            "report_count": user.report_count,
        }
        try:
            async with self._session.begin_nested():
                await self._session.execute(insert(users_t).values(**values))
        except IntegrityError as exc:
            _raise_identity_conflict(exc)
            raise
        async with translate_errors():
            await self._write_languages(user)

    async def save(self, user: User) -> None:
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    update(users_t).where(users_t.c.id == user.id).values(**_mutable_columns(user))
                )
        except IntegrityError as exc:
            _raise_identity_conflict(exc)
            raise
        async with translate_errors():
            await self._session.execute(delete(langs_t).where(langs_t.c.user_id == user.id))
            await self._write_languages(user)

    async def _write_languages(self, user: User) -> None:
        if not user.target_languages:
            return
        await self._session.execute(
            insert(langs_t),
            [
                {
                    "user_id": user.id,
                    "language": target.language,
                    "level": target.level.value,
                    "position": index,
                }
                for index, target in enumerate(user.target_languages)
            ],
        )

    async def handles_taken(self, candidates: Iterable[str]) -> set[str]:
        wanted = list(candidates)
        if not wanted:
            return set()
        async with translate_errors():
            rows = await self._session.execute(
                select(users_t.c.handle).where(users_t.c.handle.in_(wanted))
            )
        return {row[0] for row in rows}

    async def suspended_until_before(self, now: datetime, limit: int) -> Sequence[str]:
        async with translate_errors():
            rows = await self._session.execute(
                select(users_t.c.id)
                .where(
                    users_t.c.state == AccountState.SUSPENDED.value,
                    users_t.c.suspended_until <= now,
                )
                .order_by(users_t.c.suspended_until, users_t.c.id)
                .limit(limit)
            )
        return [row[0] for row in rows]

    async def deletion_requested_before(self, cutoff: datetime, limit: int) -> Sequence[str]:
        async with translate_errors():
            rows = await self._session.execute(
                select(users_t.c.id)
                .where(
                    users_t.c.state == AccountState.DELETION_REQUESTED.value,
                    users_t.c.state_changed_at <= cutoff,
                )
                .order_by(users_t.c.state_changed_at, users_t.c.id)
                .limit(limit)
            )
        return [row[0] for row in rows]


def _insert_ignore(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return postgresql.insert(table).on_conflict_do_nothing()


class SqlSocialGraph:
    """Edges inserted with ON CONFLICT DO NOTHING; counters moved with `x = x + 1` only
    when an edge really appeared or disappeared, so concurrent requests stay exact."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _bump(self, follower_id: str, followee_id: str, delta: int) -> None:
        await self._session.execute(
            update(users_t)
            .where(users_t.c.id == follower_id)
            .values(following_count=users_t.c.following_count + delta)
        )
        await self._session.execute(
            update(users_t)
            .where(users_t.c.id == followee_id)
            .values(follower_count=users_t.c.follower_count + delta)
        )

    async def follow(self, follower_id: str, followee_id: str, now: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                _insert_ignore(self._session, follows_t).values(
                    follower_id=follower_id, followee_id=followee_id, created_at=now
                )
            )
            created = bool(result.rowcount)  # type: ignore[attr-defined]
            if created:
                await self._bump(follower_id, followee_id, 1)
        return created

    async def unfollow(self, follower_id: str, followee_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                delete(follows_t).where(
                    follows_t.c.follower_id == follower_id,
                    follows_t.c.followee_id == followee_id,
                )
            )
            removed = bool(result.rowcount)  # type: ignore[attr-defined]
            if removed:
                await self._bump(follower_id, followee_id, -1)
        return removed

    async def block(self, blocker_id: str, blocked_id: str, now: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                _insert_ignore(self._session, blocks_t).values(
                    blocker_id=blocker_id, blocked_id=blocked_id, created_at=now
                )
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def unblock(self, blocker_id: str, blocked_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                delete(blocks_t).where(
                    blocks_t.c.blocker_id == blocker_id, blocks_t.c.blocked_id == blocked_id
                )
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def is_following(self, follower_id: str, followee_id: str) -> bool:
        async with translate_errors():
            return bool(
                await self._session.scalar(
                    select(
                        exists().where(
                            follows_t.c.follower_id == follower_id,
                            follows_t.c.followee_id == followee_id,
                        )
                    )
                )
            )

    async def is_blocking(self, blocker_id: str, blocked_id: str) -> bool:
        async with translate_errors():
            return bool(
                await self._session.scalar(
                    select(
                        exists().where(
                            blocks_t.c.blocker_id == blocker_id,
                            blocks_t.c.blocked_id == blocked_id,
                        )
                    )
                )
            )

    async def blocked_either_way(self, a: str, b: str) -> bool:
        async with translate_errors():
            return bool(
                await self._session.scalar(
                    select(
                        exists().where(
                            or_(
                                and_(blocks_t.c.blocker_id == a, blocks_t.c.blocked_id == b),
                                and_(blocks_t.c.blocker_id == b, blocks_t.c.blocked_id == a),
                            )
                        )
                    )
                )
            )

    async def remove_all_edges(self, user_id: str) -> None:
        async with translate_errors():
            followees = (
                await self._session.execute(
                    select(follows_t.c.followee_id).where(follows_t.c.follower_id == user_id)
                )
            ).all()
            for (followee_id,) in followees:
                await self.unfollow(user_id, followee_id)
            followers = (
                await self._session.execute(
                    select(follows_t.c.follower_id).where(follows_t.c.followee_id == user_id)
                )
            ).all()
            for (follower_id,) in followers:
                await self.unfollow(follower_id, user_id)
            await self._session.execute(
                delete(blocks_t).where(
                    or_(blocks_t.c.blocker_id == user_id, blocks_t.c.blocked_id == user_id)
                )
            )


def token_to_domain(row: Any) -> RefreshToken:
    return RefreshToken(
        id=row.id,
        user_id=row.user_id,
        family_id=row.family_id,
        token_hash=row.token_hash,
        created_at=ensure_utc(row.created_at),
        expires_at=ensure_utc(row.expires_at),
        used_at=_opt_utc(row.used_at),
        revoked_at=_opt_utc(row.revoked_at),
        session_started_at=ensure_utc(row.session_started_at),
    )


class SqlRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: RefreshToken) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(tokens_t).values(
                    id=token.id,
                    user_id=token.user_id,
                    family_id=token.family_id,
                    token_hash=token.token_hash,
                    created_at=token.created_at,
                    expires_at=token.expires_at,
                    used_at=token.used_at,
                    revoked_at=token.revoked_at,
                    session_started_at=token.started_at,
                )
            )

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(tokens_t).where(tokens_t.c.token_hash == token_hash)
                )
            ).first()
        return token_to_domain(row) if row is not None else None

    async def mark_used(self, token_id: str, now: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(tokens_t)
                .where(
                    tokens_t.c.id == token_id,
                    tokens_t.c.used_at.is_(None),
                    tokens_t.c.revoked_at.is_(None),
                )
                .values(used_at=now)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke(self, token_id: str, now: datetime) -> None:
        async with translate_errors():
            await self._session.execute(
                update(tokens_t)
                .where(tokens_t.c.id == token_id, tokens_t.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        async with translate_errors():
            await self._session.execute(
                update(tokens_t)
                .where(tokens_t.c.family_id == family_id, tokens_t.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    async def revoke_all_for_user(self, user_id: str, now: datetime) -> None:
        async with translate_errors():
            await self._session.execute(
                update(tokens_t)
                .where(tokens_t.c.user_id == user_id, tokens_t.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )


class SqlUserCounters:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _adjust(self, column: Any, user_id: str, delta: int) -> None:
        async with translate_errors():
            await self._session.execute(
                update(users_t)
                .where(users_t.c.id == user_id)
                .values({column: case((column + delta < 0, 0), else_=column + delta)})
            )

    async def adjust_corrections_accepted(self, user_id: str, delta: int) -> None:
        await self._adjust(users_t.c.corrections_accepted, user_id, delta)

    async def adjust_post_count(self, user_id: str, delta: int) -> None:
        await self._adjust(users_t.c.post_count, user_id, delta)

    async def mark_report(self, user_id: str, report_id: str, at: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                _insert_ignore(self._session, marks_t).values(
                    user_id=user_id, report_id=report_id, counted_at=at
                )
            )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        await self._adjust(users_t.c.report_count, user_id, 1)
        return True

    async def unmark_report(self, user_id: str, report_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                delete(marks_t).where(
                    marks_t.c.user_id == user_id, marks_t.c.report_id == report_id
                )
            )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        await self._adjust(users_t.c.report_count, user_id, -1)
        return True

    async def report_counts(self, user_id: str, since: datetime) -> tuple[int, int]:
        async with translate_errors():
            total = await self._session.scalar(
                select(users_t.c.report_count).where(users_t.c.id == user_id)
            )
            active = await self._session.scalar(
                select(func.count())
                .select_from(marks_t)
                .where(marks_t.c.user_id == user_id, marks_t.c.counted_at >= since)
            )
        return int(total or 0), int(active or 0)


# Every authenticated request runs this lookup: the statement is built once. Whether the
# token's session (refresh-token family) was revoked is an EXISTS on the family index in
# the same statement: no second round trip (a NULL session id matches nothing).
_SESSION_REVOKED = (
    exists()
    .where(
        tokens_t.c.family_id == bindparam("session_id", type_=String(36)),
        tokens_t.c.revoked_at.is_not(None),
    )
    .label("session_revoked")
)
_STATUS = select(
    users_t.c.id,
    users_t.c.role,
    users_t.c.state,
    users_t.c.suspended_until,
    users_t.c.interface_language,
    users_t.c.tokens_valid_after,
    _SESSION_REVOKED,
).where(users_t.c.id == bindparam("user_id"))


class SqlAccountStatusReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def status(self, user_id: str, session_id: str | None = None) -> AccountStatus | None:
        async with translate_errors():
            row = (
                await self._session.execute(_STATUS, {"user_id": user_id, "session_id": session_id})
            ).first()
        if row is None:
            return None
        return AccountStatus(
            user_id=row.id,
            role=row.role,
            state=row.state,
            suspended_until=_opt_utc(row.suspended_until),
            interface_language=row.interface_language,
            tokens_valid_after=_opt_utc(row.tokens_valid_after),
            session_revoked=bool(row.session_revoked),
        )
