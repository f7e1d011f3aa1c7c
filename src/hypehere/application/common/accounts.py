"""The account view: a user's own account as the owner (`/users/me`) and staff acting on it
(`/admin/users/*`) see it. One shape for the users and moderation modules, read from the
`User` aggregate by name (its enum values are the strings the view shows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from hypehere.application.common.views import PublicProfile
from hypehere.domain.users.model import User


class PrivacyView(msgspec.Struct, frozen=True):
    show_followers_list: str
    show_following_list: str


class OwnAccount(PublicProfile, frozen=True, kw_only=True):
    """What the owner sees of their account (the `/users/me` shape)."""

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


class AccountView(OwnAccount, frozen=True, kw_only=True):
    """The owner's view plus the moderation state behind it, which staff act on."""

    suspension_reason: str | None
    report_count: int

    @classmethod
    def of(cls, user: User) -> AccountView:
        return msgspec.convert(user, cls, from_attributes=True)


def public_profile_fields(user: User) -> dict[str, Any]:
    """The `PublicProfile` fields of a user, for the views that extend it."""
    return msgspec.structs.asdict(msgspec.convert(user, PublicProfile, from_attributes=True))
