"""Ports the users use cases need beyond storage: hashing, tokens, email syntax, readers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from hypehere.application.users.views import AccountStatus, ProfileView, RelationshipView
from hypehere.domain.shared.pagination import Page, PageRequest
from hypehere.domain.users.partners import PartnerCandidate, PartnerSeeker


class PasswordHasher(Protocol):
    """Hashing is deliberately slow: implementations run it off the event loop, and use
    cases call it outside their transactions."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """False on a mismatch or an unparsable hash; never raises for a wrong password."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the time of a real verification (unknown email: no timing oracle)."""
        ...


class AccessClaims(msgspec.Struct, frozen=True):
    user_id: str
    role: str
    jti: str
    issued_at: datetime  # to the microsecond: compared with `tokens_valid_after`
    expires_at: datetime
    session_id: str | None = None  # the refresh-token family the token was issued with


class IssuedAccessToken(msgspec.Struct, frozen=True):
    token: str
    expires_in: int


class AccessTokenCodec(Protocol):
    def issue(
        self, user_id: str, role: str, now: datetime, session_id: str | None = None
    ) -> IssuedAccessToken: ...

    def decode(self, token: str, now: datetime) -> AccessClaims:
        """Raises InvalidAccessTokenError for an expired, garbled or wrongly-signed token."""
        ...


class EmailValidator(Protocol):
    def normalize(self, raw: str) -> str:
        """The normalized address (trimmed, lower-cased); InvalidEmailError when invalid."""
        ...


class AccountStatusReader(Protocol):
    """The cheap per-request check: one primary-key lookup."""

    async def status(self, user_id: str, session_id: str | None = None) -> AccountStatus | None:
        """The account's state, role and `tokens_valid_after`, and whether the session
        `session_id` (a refresh-token family of this user) has been revoked (logout,
        password change, reuse of a rotated token): in one statement, one round trip."""
        ...


class UserReader(Protocol):
    """Read side for profiles and lists: view structs straight from storage.

    Lists leave out accounts hidden from others (deactivated, deletion requested, banned,
    deleted) and accounts blocked either way with the viewer."""

    async def profile(self, user_id: str, viewer_id: str | None) -> ProfileView | None: ...

    async def followers(
        self, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]: ...

    async def following(
        self, user_id: str, viewer_id: str | None, page: PageRequest
    ) -> Page[ProfileView]: ...

    async def blocked_by(self, user_id: str, page: PageRequest) -> Page[ProfileView]:
        """The accounts `user_id` blocks, newest block first."""
        ...

    async def partner_candidates(
        self, seeker: PartnerSeeker, limit: int
    ) -> Sequence[PartnerCandidate]:
        """Selection only (the ranking is `domain/users/partners.py`): active users other
        than the seeker whose native language is one of the seeker's targets and who learn
        the seeker's native language (with their level in it); not blocked either way with
        the seeker, not already followed by the seeker. At most `limit`: the most recently
        active first (never active last), then by id, descending."""
        ...

    async def profiles(self, user_ids: Sequence[str], viewer_id: str) -> list[ProfileView]:
        """These users with the viewer's flags, in the given order (unknown ids left out)."""
        ...

    async def relationship(self, viewer_id: str, user_id: str) -> RelationshipView: ...

    async def summaries(self, user_ids: Sequence[str]) -> list[ProfileView]: ...
