"""Request and response bodies of /auth and /users (API.md "Accounts and users")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.moderation.views import AccountView
from hypehere.application.users.views import MeView, ProfileView, SessionResult, TokenPair

# Generous structural bounds (oversized input -> 422 naming the field); the domain rules
# enforce the precise limits.
Email = Annotated[str, msgspec.Meta(max_length=320)]
Password = Annotated[str, msgspec.Meta(max_length=1024)]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]
Code = Annotated[str, msgspec.Meta(max_length=16)]
Bio = Annotated[str, msgspec.Meta(max_length=2000)]
Url = Annotated[str, msgspec.Meta(max_length=2048)]
Token = Annotated[str, msgspec.Meta(max_length=4096)]


class TargetLanguageIn(msgspec.Struct, frozen=True):
    language: Code
    level: Code


class RegisterIn(msgspec.Struct, frozen=True):
    email: Email
    password: Password
    nickname: ShortText
    native_language: Code
    target_languages: Annotated[list[TargetLanguageIn], msgspec.Meta(max_length=20)] = []
    interface_language: Code | None = None


class LoginIn(msgspec.Struct, frozen=True):
    email: Email
    password: Password


class RefreshIn(msgspec.Struct, frozen=True):
    refresh_token: Token


class PrivacyIn(msgspec.Struct, frozen=True):
    show_followers_list: Code | None = None
    show_following_list: Code | None = None


class UpdateMeIn(msgspec.Struct, frozen=True):
    nickname: ShortText | None = None
    handle: ShortText | None = None
    bio: Bio | None = None
    avatar_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    native_language: Code | None = None
    target_languages: Annotated[list[TargetLanguageIn], msgspec.Meta(max_length=20)] | None = None
    interface_language: Code | None = None
    privacy: PrivacyIn | None = None
    chat_policy: Code | None = None
    send_read_receipts: bool | None = None
    timezone: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    desired_retention: float | None = None


class ChangePasswordIn(msgspec.Struct, frozen=True):
    old_password: Password
    new_password: Password


class TargetLanguageOut(msgspec.Struct, frozen=True):
    language: str
    level: str


class PrivacyOut(msgspec.Struct, frozen=True):
    show_followers_list: str
    show_following_list: str


class UserOut(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[TargetLanguageOut]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime
    corrections_accepted: int = 0
    is_following: bool | None = None
    is_followed_by: bool | None = None
    is_blocking: bool | None = None

    @classmethod
    def of(cls, view: ProfileView) -> UserOut:
        return cls(
            id=view.id,
            handle=view.handle,
            nickname=view.nickname,
            bio=view.bio,
            avatar_url=view.avatar_url,
            native_language=view.native_language,
            target_languages=[
                TargetLanguageOut(language=t.language, level=t.level) for t in view.target_languages
            ],
            follower_count=view.follower_count,
            following_count=view.following_count,
            post_count=view.post_count,
            created_at=view.created_at,
            corrections_accepted=view.corrections_accepted,
            is_following=view.is_following,
            is_followed_by=view.is_followed_by,
            is_blocking=view.is_blocking,
        )


class MeOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[TargetLanguageOut]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime
    email: str
    interface_language: str
    privacy: PrivacyOut
    chat_policy: str
    send_read_receipts: bool
    timezone: str
    desired_retention: float
    role: str
    state: str
    suspended_until: datetime | None

    @classmethod
    def of(cls, view: MeView | AccountView) -> MeOut:
        """The own account (`/users/me`), or the account staff just acted on."""
        return cls(
            id=view.id,
            handle=view.handle,
            nickname=view.nickname,
            bio=view.bio,
            avatar_url=view.avatar_url,
            native_language=view.native_language,
            target_languages=[
                TargetLanguageOut(language=t.language, level=t.level) for t in view.target_languages
            ],
            follower_count=view.follower_count,
            following_count=view.following_count,
            post_count=view.post_count,
            created_at=view.created_at,
            email=view.email,
            interface_language=view.interface_language,
            privacy=PrivacyOut(
                show_followers_list=view.privacy.show_followers_list,
                show_following_list=view.privacy.show_following_list,
            ),
            chat_policy=view.chat_policy,
            send_read_receipts=view.send_read_receipts,
            timezone=view.timezone,
            desired_retention=view.desired_retention,
            role=view.role,
            state=view.state,
            suspended_until=view.suspended_until,
        )


class TokensOut(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> TokensOut:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
        )


class SessionOut(msgspec.Struct, frozen=True):
    user: MeOut
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int

    @classmethod
    def of(cls, result: SessionResult) -> SessionOut:
        return cls(
            user=MeOut.of(result.user),
            access_token=result.tokens.access_token,
            refresh_token=result.tokens.refresh_token,
            token_type=result.tokens.token_type,
            expires_in=result.tokens.expires_in,
        )


class UserPageOut(msgspec.Struct, frozen=True):
    items: list[UserOut]
    next_cursor: str | None
