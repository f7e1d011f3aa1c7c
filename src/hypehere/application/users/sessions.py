"""Issuing token pairs (shared by the use cases that sign a user in)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import msgspec

from hypehere.application.users.ports import AccessTokenCodec
from hypehere.application.users.views import TokenPair
from hypehere.domain.shared.ids import new_id
from hypehere.domain.users.model import RefreshToken, User
from hypehere.domain.users.ports import RefreshTokenRepository


class TokenPolicy(msgspec.Struct, frozen=True):
    refresh_token_ttl_days: int = 30
    # Absolute lifetime of a session (a refresh-token family): rotating never extends it.
    session_max_age_days: int = 90

    @property
    def session_max_age(self) -> timedelta:
        return timedelta(days=self.session_max_age_days)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionIssuer:
    """Creates an access token and a refresh token in a (new or continued) family. The
    family id is the session id: the access token carries it (`sid`), so a logout can end
    that session's access tokens too."""

    def __init__(
        self, tokens: RefreshTokenRepository, codec: AccessTokenCodec, policy: TokenPolicy
    ) -> None:
        self._tokens = tokens
        self._codec = codec
        self._policy = policy

    @property
    def policy(self) -> TokenPolicy:
        return self._policy

    async def issue(
        self, user: User, now: datetime, continues: RefreshToken | None = None
    ) -> TokenPair:
        """A new session, or the next token of the session `continues` belongs to (which
        keeps its start: its refresh tokens never outlive `session_max_age_days`)."""
        raw = secrets.token_urlsafe(32)
        family_id = continues.family_id if continues is not None else new_id()
        started_at = continues.started_at if continues is not None else now
        expires_at = min(
            now + timedelta(days=self._policy.refresh_token_ttl_days),
            started_at + self._policy.session_max_age,
        )
        await self._tokens.add(
            RefreshToken(
                id=new_id(),
                user_id=user.id,
                family_id=family_id,
                token_hash=hash_refresh_token(raw),
                created_at=now,
                expires_at=expires_at,
                session_started_at=started_at,
            )
        )
        access = self._codec.issue(user.id, user.role.value, now, session_id=family_id)
        return TokenPair(access_token=access.token, refresh_token=raw, expires_in=access.expires_in)
