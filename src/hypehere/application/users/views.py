"""View structs returned by the users read side and use cases."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.accounts import AccountView
from hypehere.application.common.views import ViewedProfile


class ProfileView(ViewedProfile, frozen=True, kw_only=True):
    """A user as others see it. The viewer flags are None when nobody is signed in."""

    state: str
    show_followers_list: str
    show_following_list: str
    corrections_accepted: int = 0  # corrections of others' texts their authors accepted
    is_blocked_by: bool | None = None


class AccountStatus(msgspec.Struct, frozen=True):
    user_id: str
    role: str
    state: str
    suspended_until: datetime | None
    interface_language: str
    tokens_valid_after: datetime | None = None
    session_revoked: bool = False


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

    user: AccountView  # the signed-in user's own account
    tokens: TokenPair
