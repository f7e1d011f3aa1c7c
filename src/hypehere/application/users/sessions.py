"""Issuing token pairs and rendering the signed-in user's own view (shared by use cases)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import msgspec

from hypehere.application.users.ports import AccessTokenCodec
from hypehere.application.users.views import MeView, PrivacyView, TargetLanguageView, TokenPair
from hypehere.domain.shared.ids import new_id
from hypehere.domain.users.model import RefreshToken, User
from hypehere.domain.users.ports import RefreshTokenRepository


class TokenPolicy(msgspec.Struct, frozen=True):
    refresh_token_ttl_days: int = 30


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionIssuer:
    """Creates an access token and a refresh token in a (new or continued) family."""

    def __init__(
        self, tokens: RefreshTokenRepository, codec: AccessTokenCodec, policy: TokenPolicy
    ) -> None:
        self._tokens = tokens
        self._codec = codec
        self._policy = policy

    async def issue(self, user: User, now: datetime, family_id: str | None = None) -> TokenPair:
        raw = secrets.token_urlsafe(32)
        await self._tokens.add(
            RefreshToken(
                id=new_id(),
                user_id=user.id,
                family_id=family_id or new_id(),
                token_hash=hash_refresh_token(raw),
                created_at=now,
                expires_at=now + timedelta(days=self._policy.refresh_token_ttl_days),
            )
        )
        access = self._codec.issue(user.id, user.role.value, now)
        return TokenPair(access_token=access.token, refresh_token=raw, expires_in=access.expires_in)


def me_view(user: User) -> MeView:
    return MeView(
        id=user.id,
        handle=user.handle,
        nickname=user.nickname,
        bio=user.bio,
        avatar_url=user.avatar_url,
        native_language=user.native_language,
        target_languages=[
            TargetLanguageView(language=t.language, level=t.level.value)
            for t in user.target_languages
        ],
        follower_count=user.follower_count,
        following_count=user.following_count,
        post_count=user.post_count,
        created_at=user.created_at,
        email=user.email,
        interface_language=user.interface_language,
        privacy=PrivacyView(
            show_followers_list=user.privacy.show_followers_list.value,
            show_following_list=user.privacy.show_following_list.value,
        ),
        chat_policy=user.chat_policy.value,
        send_read_receipts=user.send_read_receipts,
        timezone=user.timezone,
        desired_retention=user.desired_retention,
        role=user.role.value,
        state=user.state.value,
        suspended_until=user.suspended_until,
        report_count=user.report_count,
    )
