"""Request and response bodies of /auth and /users (API.md "Accounts and users")."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from hypehere.application.common.accounts import AccountView, OwnAccount
from hypehere.application.common.views import ViewedProfile
from hypehere.application.users.views import ProfileView, SessionResult, TokenPair
from hypehere.entrypoints.common.mapping import shown_as

# Generous structural bounds (oversized input -> 422 naming the field); the domain rules
# enforce the precise limits.
Email = Annotated[str, msgspec.Meta(max_length=320)]
Password = Annotated[str, msgspec.Meta(max_length=1024)]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]
Code = Annotated[str, msgspec.Meta(max_length=16)]
Bio = Annotated[str, msgspec.Meta(max_length=2000)]
Url = Annotated[str, msgspec.Meta(max_length=2048)]
Token = Annotated[str, msgspec.Meta(max_length=4096)]
# What the rules keep after stripping: a nickname with something other than whitespace, a
# handle of 3-30 of a-z, 0-9 and _ (the rules lowercase it; the schema names the stored form).
Nickname = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=200)]
Handle = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_]{3,30}$")]
Visibility = Literal["everyone", "followers", "nobody"]


class TargetLanguageIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    language: Code
    level: Code


class RegisterIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email
    password: Password
    nickname: ShortText
    native_language: Code
    target_languages: Annotated[list[TargetLanguageIn], msgspec.Meta(max_length=20)] = []
    interface_language: Code | None = None


class LoginIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email
    password: Password


class RefreshIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    refresh_token: Token


class PrivacyIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    show_followers_list: Visibility | None = None
    show_following_list: Visibility | None = None


class UpdateMeIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    nickname: Nickname | None = None
    handle: Handle | None = None
    bio: Bio | None = None
    avatar_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    native_language: Code | None = None
    target_languages: Annotated[list[TargetLanguageIn], msgspec.Meta(max_length=20)] | None = None
    interface_language: Code | None = None
    privacy: PrivacyIn | None = None
    chat_policy: Literal["everyone", "following", "nobody_new"] | None = None
    send_read_receipts: bool | None = None
    timezone: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    # 0.70..0.97, checked by the rules (field code `invalid_desired_retention`); the
    # document states the bounds (`openapi.BODY_NUMBER_BOUNDS`).
    desired_retention: float | None = None


class ChangePasswordIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    old_password: Password
    new_password: Password


class UserOut(ViewedProfile, frozen=True, kw_only=True, omit_defaults=True):
    """Another user's profile; the viewer flags are left out for an anonymous viewer."""

    corrections_accepted: int = 0

    @classmethod
    def of(cls, view: ProfileView) -> UserOut:
        return shown_as(view, cls)


class MeOut(OwnAccount, frozen=True, kw_only=True):
    @classmethod
    def of(cls, view: AccountView) -> MeOut:
        """The own account (`/users/me`), or the account staff just acted on."""
        return shown_as(view, cls)


class TokensOut(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> TokensOut:
        return shown_as(pair, cls)


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
