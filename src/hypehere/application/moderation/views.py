"""What the moderation use cases return."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.domain.users.model import User


class AccountLanguageView(msgspec.Struct, frozen=True):
    language: str
    level: str


class AccountPrivacyView(msgspec.Struct, frozen=True):
    show_followers_list: str
    show_following_list: str


class AccountView(msgspec.Struct, frozen=True, kw_only=True):
    """An account as staff see it after acting on it: the owner's own view (the same
    fields as the users module's `MeView`, so `/admin/users/*` answers with the `/users/me`
    shape) plus the moderation state behind it."""

    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[AccountLanguageView]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime
    email: str
    interface_language: str
    privacy: AccountPrivacyView
    chat_policy: str
    send_read_receipts: bool
    timezone: str
    desired_retention: float
    role: str
    state: str
    suspended_until: datetime | None
    suspension_reason: str | None
    report_count: int

    @classmethod
    def of(cls, user: User) -> AccountView:
        return cls(
            id=user.id,
            handle=user.handle,
            nickname=user.nickname,
            bio=user.bio,
            avatar_url=user.avatar_url,
            native_language=user.native_language,
            target_languages=[
                AccountLanguageView(language=t.language, level=t.level.value)
                for t in user.target_languages
            ],
            follower_count=user.follower_count,
            following_count=user.following_count,
            post_count=user.post_count,
            created_at=user.created_at,
            email=user.email,
            interface_language=user.interface_language,
            privacy=AccountPrivacyView(
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
            suspension_reason=user.suspension_reason,
            report_count=user.report_count,
        )
