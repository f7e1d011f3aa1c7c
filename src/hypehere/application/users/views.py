"""View structs returned by the users read side and use cases."""

from __future__ import annotations

from datetime import datetime

import msgspec


class TargetLanguageView(msgspec.Struct, frozen=True):
    language: str
    level: str


class ProfileView(msgspec.Struct, frozen=True, kw_only=True):
    """A user as others see it. The viewer flags are None when nobody is signed in."""

    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[TargetLanguageView]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime
    state: str
    show_followers_list: str
    show_following_list: str
    corrections_accepted: int = 0  # corrections of others' texts their authors accepted
    is_following: bool | None = None
    is_followed_by: bool | None = None
    is_blocking: bool | None = None
    is_blocked_by: bool | None = None


class PrivacyView(msgspec.Struct, frozen=True):
    show_followers_list: str
    show_following_list: str


class MeView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[TargetLanguageView]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime
    email: str
    interface_language: str
    privacy: PrivacyView
    chat_policy: str
    send_read_receipts: bool
    timezone: str
    desired_retention: float
    role: str
    state: str
    suspended_until: datetime | None
    report_count: int


class AccountStatus(msgspec.Struct, frozen=True):
    user_id: str
    role: str
    state: str
    suspended_until: datetime | None
    interface_language: str


class RelationshipView(msgspec.Struct, frozen=True):
    is_following: bool
    is_followed_by: bool
    is_blocking: bool
    is_blocked_by: bool

    @property
    def blocked_either_way(self) -> bool:
        return self.is_blocking or self.is_blocked_by


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


class SessionResult(msgspec.Struct, frozen=True):
    """A signed-in user: the tokens and the user's own view."""

    user: MeView
    tokens: TokenPair
