"""In-memory users module: repositories, graph, tokens and readers over one shared store
(unit tests and the contract suites' reference adapter)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypehere.application.common.accounts import public_profile_fields
from hypehere.application.users.ports import AccessClaims, IssuedAccessToken
from hypehere.application.users.views import (
    AccountStatus,
    ProfileView,
    RelationshipView,
)
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import InvalidCursorError, Page, PageRequest, encode_cursor
from hypehere.domain.users.errors import (
    EmailTakenError,
    HandleTakenError,
    InvalidAccessTokenError,
    InvalidEmailError,
)
from hypehere.domain.users.model import VISIBLE_STATES, AccountState, RefreshToken, User
from hypehere.domain.users.partners import PartnerCandidate, PartnerSeeker, is_eligible
from hypehere.domain.users.rules import normalize_email

_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass
class InMemoryUserStore:
    users: dict[str, User] = field(default_factory=dict)
    follows: dict[tuple[str, str], datetime] = field(default_factory=dict)
    blocks: dict[tuple[str, str], datetime] = field(default_factory=dict)
    tokens: dict[str, RefreshToken] = field(default_factory=dict)
    report_marks: dict[tuple[str, str], datetime] = field(default_factory=dict)


def _snapshot(user: User) -> User:
    clone = copy.copy(user)
    clone.events = []
    return clone


class InMemoryUserRepository:
    def __init__(self, store: InMemoryUserStore) -> None:
        self.store = store

    async def get(self, user_id: str) -> User | None:
        user = self.store.users.get(user_id)
        return _snapshot(user) if user else None

    async def get_by_email(self, email: str) -> User | None:
        for user in self.store.users.values():
            if user.email == email:
                return _snapshot(user)
        return None

    async def get_by_handle(self, handle: str) -> User | None:
        for user in self.store.users.values():
            if user.handle == handle:
                return _snapshot(user)
        return None

    def _check_unique(self, user: User) -> None:
        for other in self.store.users.values():
            if other.id == user.id:
                continue
            if other.email == user.email:
                raise EmailTakenError("The email is already registered")
            if other.handle == user.handle:
                raise HandleTakenError("The handle is taken")

    async def add(self, user: User) -> None:
        self._check_unique(user)
        self.store.users[user.id] = _snapshot(user)

    async def save(self, user: User) -> None:
        self._check_unique(user)
        current = self.store.users[user.id]
        saved = _snapshot(user)
        saved.follower_count = current.follower_count
        saved.following_count = current.following_count
        saved.post_count = current.post_count
        saved.corrections_accepted = current.corrections_accepted
        saved.report_count = current.report_count
        self.store.users[user.id] = saved

    async def handles_taken(self, candidates: Iterable[str]) -> set[str]:
        wanted = set(candidates)
        return {u.handle for u in self.store.users.values() if u.handle in wanted}

    def _due(self, state: AccountState, since: str, cutoff: datetime, limit: int) -> list[str]:
        """Ids of the users in `state` whose `since` time is at or before `cutoff`, earliest
        first."""
        due = [
            (at, u.id)
            for u in self.store.users.values()
            if u.state is state and (at := getattr(u, since)) is not None and at <= cutoff
        ]
        return [user_id for _, user_id in sorted(due)[:limit]]

    async def suspended_until_before(self, now: datetime, limit: int) -> Sequence[str]:
        return self._due(AccountState.SUSPENDED, "suspended_until", now, limit)

    async def deletion_requested_before(self, cutoff: datetime, limit: int) -> Sequence[str]:
        return self._due(AccountState.DELETION_REQUESTED, "state_changed_at", cutoff, limit)


class InMemorySocialGraph:
    def __init__(self, store: InMemoryUserStore) -> None:
        self.store = store

    def _bump(self, follower_id: str, followee_id: str, delta: int) -> None:
        if follower_id in self.store.users:
            self.store.users[follower_id].following_count += delta
        if followee_id in self.store.users:
            self.store.users[followee_id].follower_count += delta

    async def follow(self, follower_id: str, followee_id: str, now: datetime) -> bool:
        if (follower_id, followee_id) in self.store.follows:
            return False
        self.store.follows[(follower_id, followee_id)] = now
        self._bump(follower_id, followee_id, 1)
        return True

    async def unfollow(self, follower_id: str, followee_id: str) -> bool:
        if self.store.follows.pop((follower_id, followee_id), None) is None:
            return False
        self._bump(follower_id, followee_id, -1)
        return True

    async def block(self, blocker_id: str, blocked_id: str, now: datetime) -> bool:
        if (blocker_id, blocked_id) in self.store.blocks:
            return False
        self.store.blocks[(blocker_id, blocked_id)] = now
        return True

    async def unblock(self, blocker_id: str, blocked_id: str) -> bool:
        return self.store.blocks.pop((blocker_id, blocked_id), None) is not None

    async def is_following(self, follower_id: str, followee_id: str) -> bool:
        return (follower_id, followee_id) in self.store.follows

    async def is_blocking(self, blocker_id: str, blocked_id: str) -> bool:
        return (blocker_id, blocked_id) in self.store.blocks

    async def blocked_either_way(self, a: str, b: str) -> bool:
        return (a, b) in self.store.blocks or (b, a) in self.store.blocks

    async def remove_all_edges(self, user_id: str) -> None:
        for follower, followee in list(self.store.follows):
            if user_id in (follower, followee):
                await self.unfollow(follower, followee)
        for key in [k for k in self.store.blocks if user_id in k]:
            del self.store.blocks[key]


class InMemoryRefreshTokenRepository:
    def __init__(self, store: InMemoryUserStore) -> None:
        self.store = store

    async def add(self, token: RefreshToken) -> None:
        if any(t.token_hash == token.token_hash for t in self.store.tokens.values()):
            raise InvalidInputError("duplicate token hash")
        self.store.tokens[token.id] = copy.copy(token)

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        for token in self.store.tokens.values():
            if token.token_hash == token_hash:
                return copy.copy(token)
        return None

    async def mark_used(self, token_id: str, now: datetime) -> bool:
        token = self.store.tokens.get(token_id)
        if token is None or token.is_spent:
            return False
        token.used_at = now
        return True

    async def revoke(self, token_id: str, now: datetime) -> None:
        token = self.store.tokens.get(token_id)
        if token is not None and token.revoked_at is None:
            token.revoked_at = now

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        for token in self.store.tokens.values():
            if token.family_id == family_id and token.revoked_at is None:
                token.revoked_at = now

    async def revoke_all_for_user(self, user_id: str, now: datetime) -> None:
        for token in self.store.tokens.values():
            if token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = now


class InMemoryUserCounters:
    def __init__(self, store: InMemoryUserStore) -> None:
        self.store = store

    async def adjust_corrections_accepted(self, user_id: str, delta: int) -> None:
        user = self.store.users.get(user_id)
        if user is not None:
            user.corrections_accepted = max(0, user.corrections_accepted + delta)

    async def adjust_post_count(self, user_id: str, delta: int) -> None:
        user = self.store.users.get(user_id)
        if user is not None:
            user.post_count = max(0, user.post_count + delta)

    def _adjust_reports(self, user_id: str, delta: int) -> None:
        user = self.store.users.get(user_id)
        if user is not None:
            user.report_count = max(0, user.report_count + delta)

    async def mark_report(self, user_id: str, report_id: str, at: datetime) -> bool:
        if user_id not in self.store.users or (user_id, report_id) in self.store.report_marks:
            return False
        self.store.report_marks[(user_id, report_id)] = at
        self._adjust_reports(user_id, 1)
        return True

    async def unmark_report(self, user_id: str, report_id: str) -> bool:
        if self.store.report_marks.pop((user_id, report_id), None) is None:
            return False
        self._adjust_reports(user_id, -1)
        return True

    async def report_counts(self, user_id: str, since: datetime) -> tuple[int, int]:
        user = self.store.users.get(user_id)
        active = sum(
            1 for (uid, _), at in self.store.report_marks.items() if uid == user_id and at >= since
        )
        return (user.report_count if user else 0), active


class InMemoryAccountStatusReader:
    def __init__(self, store: InMemoryUserStore) -> None:
        self.store = store

    async def status(self, user_id: str, session_id: str | None = None) -> AccountStatus | None:
        user = self.store.users.get(user_id)
        if user is None:
            return None
        revoked = session_id is not None and any(
            token.family_id == session_id and token.revoked_at is not None
            for token in self.store.tokens.values()
        )
        return AccountStatus(
            user_id=user.id,
            role=user.role.value,
            state=user.state.value,
            suspended_until=user.suspended_until,
            interface_language=user.interface_language,
            tokens_valid_after=user.tokens_valid_after,
            session_revoked=revoked,
        )


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidCursorError("The cursor is not valid")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


class InMemoryUserReader:
    def __init__(self, store: InMemoryUserStore) -> None:
        self.store = store

    def _view(self, user: User, viewer_id: str | None) -> ProfileView:
        s = self.store

        def flag(value: bool) -> bool | None:
            return value if viewer_id is not None else None

        return ProfileView(
            **public_profile_fields(user),
            state=user.state.value,
            show_followers_list=user.privacy.show_followers_list.value,
            show_following_list=user.privacy.show_following_list.value,
            corrections_accepted=user.corrections_accepted,
            is_following=flag((viewer_id or "", user.id) in s.follows),
            is_followed_by=flag((user.id, viewer_id or "") in s.follows),
            is_blocking=flag((viewer_id or "", user.id) in s.blocks),
            is_blocked_by=flag((user.id, viewer_id or "") in s.blocks),
        )

    def _hidden(self, user: User, viewer_id: str | None) -> bool:
        if user.state not in VISIBLE_STATES:
            return True
        if viewer_id is None:
            return False
        return (viewer_id, user.id) in self.store.blocks or (
            user.id,
            viewer_id,
        ) in self.store.blocks

    async def profile(self, user_id: str, viewer_id: str | None) -> ProfileView | None:
        user = self.store.users.get(user_id)
        return self._view(user, viewer_id) if user else None

    async def summaries(self, user_ids: Sequence[str]) -> list[ProfileView]:
        return await self.profiles(user_ids, None)

    def _edge_page(
        self,
        edges: list[tuple[datetime, str]],
        viewer_id: str | None,
        page: PageRequest,
        *,
        hide: bool = True,
    ) -> Page[ProfileView]:
        rows = []
        for at, uid in edges:
            user = self.store.users.get(uid)
            if user is None or user.state not in VISIBLE_STATES:
                continue
            if hide and self._hidden(user, viewer_id):
                continue
            rows.append((at, uid, user))
        rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
        if page.cursor is not None:
            if len(page.cursor) != 2 or not isinstance(page.cursor[1], str):
                raise InvalidCursorError("The cursor is not valid")
            key = (_parse_time(page.cursor[0]), page.cursor[1])
            rows = [r for r in rows if (r[0], r[1]) < key]
        chunk = rows[: page.limit + 1]
        items = [self._view(r[2], viewer_id) for r in chunk[: page.limit]]
        next_cursor = None
        if len(chunk) > page.limit:
            last = chunk[page.limit - 1]
            next_cursor = encode_cursor((last[0].isoformat(), last[1]))
        return Page(items=items, next_cursor=next_cursor)

    async def followers(
        self, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]:
        edges = [(at, a) for (a, b), at in self.store.follows.items() if b == user_id]
        return self._edge_page(edges, viewer_id, page)

    async def following(
        self, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]:
        edges = [(at, b) for (a, b), at in self.store.follows.items() if a == user_id]
        return self._edge_page(edges, viewer_id, page)

    async def blocked_by(self, user_id: str, page: PageRequest) -> Page[ProfileView]:
        edges = [(at, b) for (a, b), at in self.store.blocks.items() if a == user_id]
        return self._edge_page(edges, user_id, page, hide=False)

    async def relationship(self, viewer_id: str, user_id: str) -> RelationshipView:
        s = self.store
        return RelationshipView(
            is_following=(viewer_id, user_id) in s.follows,
            is_followed_by=(user_id, viewer_id) in s.follows,
            is_blocking=(viewer_id, user_id) in s.blocks,
            is_blocked_by=(user_id, viewer_id) in s.blocks,
        )

    async def partner_candidates(self, seeker: PartnerSeeker, limit: int) -> list[PartnerCandidate]:
        found: list[PartnerCandidate] = []
        for other in self.store.users.values():
            if other.state is not AccountState.ACTIVE or self._hidden(other, seeker.user_id):
                continue
            if (seeker.user_id, other.id) in self.store.follows:
                continue
            level = next(
                (t.level for t in other.target_languages if t.language == seeker.native_language),
                None,
            )
            if level is None:
                continue
            candidate = PartnerCandidate(
                user_id=other.id,
                native_language=other.native_language,
                learning_level=level,
                last_active_at=other.last_active_at,
            )
            if is_eligible(seeker, candidate):
                found.append(candidate)
        found.sort(
            key=lambda c: (c.last_active_at is not None, c.last_active_at or _EPOCH, c.user_id),
            reverse=True,
        )
        return found[:limit]

    async def profiles(self, user_ids: Sequence[str], viewer_id: str | None) -> list[ProfileView]:
        return [
            self._view(self.store.users[i], viewer_id) for i in user_ids if i in self.store.users
        ]


class PlainPasswordHasher:
    """A fast stand-in for argon2 in unit tests (NOT a real hash). `version` lets tests
    exercise rehash-on-login."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.dummy_checks = 0

    async def hash(self, password: str) -> str:
        return self._hash(password)

    def _hash(self, password: str) -> str:
        digest = hashlib.sha256(password.encode()).hexdigest()
        return f"plain${self.version}${digest}"

    async def verify(self, password_hash: str, password: str) -> bool:
        return self.check(password_hash, password)

    def check(self, password_hash: str, password: str) -> bool:
        parts = password_hash.split("$")
        if len(parts) != 3 or parts[0] != "plain":
            return False
        return parts[2] == hashlib.sha256(password.encode()).hexdigest()

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"plain${self.version}$")

    async def verify_dummy(self, password: str) -> None:
        self.dummy_checks += 1
        self.check(self._hash("dummy"), password)


class SimpleEmailValidator:
    """Structure-only email check (the domain rule), for unit tests."""

    def normalize(self, raw: str) -> str:
        email = normalize_email(raw)
        if "." not in email.rpartition("@")[2]:
            raise InvalidEmailError("The email address is not valid", field="email")
        return email


class FakeAccessTokenCodec:
    """Readable tokens `user_id|role|jti|iat|exp|sid` (unit tests only)."""

    def __init__(self, ttl_seconds: int = 900) -> None:
        self.ttl = ttl_seconds

    def issue(
        self, user_id: str, role: str, now: datetime, session_id: str | None = None
    ) -> IssuedAccessToken:
        exp = now + timedelta(seconds=self.ttl)
        token = (
            f"{user_id}|{role}|{new_id()}|{now.isoformat()}|{exp.isoformat()}|{session_id or ''}"
        )
        return IssuedAccessToken(token=token, expires_in=self.ttl)

    def decode(self, token: str, now: datetime) -> AccessClaims:
        parts = token.split("|")
        if len(parts) != 6:
            raise InvalidAccessTokenError("The access token is not valid")
        user_id, role, jti, iat, exp, sid = parts
        try:
            issued, expires = datetime.fromisoformat(iat), datetime.fromisoformat(exp)
        except ValueError as exc:
            raise InvalidAccessTokenError("The access token is not valid") from exc
        if expires <= now:
            raise InvalidAccessTokenError("The access token has expired")
        return AccessClaims(
            user_id=user_id,
            role=role,
            jti=jti,
            issued_at=issued,
            expires_at=expires,
            session_id=sid or None,
        )
