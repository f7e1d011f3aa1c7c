"""The account view: a user's own account as the owner (`/users/me`) and staff acting on it
(`/admin/users/*`) see it. One shape for the users and moderation modules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from hypehere.application.common.views import LanguageLevel, PublicProfile
from hypehere.domain.users.model import User


class PrivacyView(msgspec.Struct, frozen=True):
    show_followers_list: str
    show_following_list: str


class AccountView(PublicProfile, frozen=True, kw_only=True):
    email: str
    interface_language: str
    privacy: PrivacyView
    chat_policy: str
    send_read_receipts: bool
    role: str
    state: str
    suspended_until: datetime | None
    suspension_reason: str | None
    report_count: int

    @classmethod
    def of(cls, user: User) -> AccountView:
        return cls(
            **public_profile_fields(user),
            email=user.email,
            interface_language=user.interface_language,
            privacy=PrivacyView(
                show_followers_list=user.privacy.show_followers_list.value,
                show_following_list=user.privacy.show_following_list.value,
            ),
            chat_policy=user.chat_policy.value,
            send_read_receipts=user.send_read_receipts,
            role=user.role.value,
            state=user.state.value,
            suspended_until=user.suspended_until,
            suspension_reason=user.suspension_reason,
            report_count=user.report_count,
        )


def public_profile_fields(user: User) -> dict[str, Any]:
    """The `PublicProfile` fields of a user, for the views that extend it."""
    return {
        "id": user.id,
        "handle": user.handle,
        "nickname": user.nickname,
        "bio": user.bio,
        "avatar_url": user.avatar_url,
        "native_language": user.native_language,
        "target_languages": [
            LanguageLevel(language=t.language, level=t.level.value) for t in user.target_languages
        ],
        "follower_count": user.follower_count,
        "following_count": user.following_count,
        "post_count": user.post_count,
        "created_at": user.created_at,
    }
