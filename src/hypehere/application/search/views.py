"""What search returns: the public post and user shapes of API.md, read from current rows."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.views import MentionCard, UserCard, ViewedProfile


class PostResult(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    author: UserCard
    content: str
    language: str
    detected_language: str | None
    target_language: str | None
    hashtags: list[str]
    mentions: list[MentionCard]
    media_urls: list[str]
    like_count: int
    comment_count: int
    liked_by_me: bool
    created_at: datetime
    edited_at: datetime | None
    removed: bool = False


class UserResult(ViewedProfile, frozen=True, kw_only=True):
    """The public profile; the viewer flags are None for an anonymous viewer."""


SearchResult = PostResult | UserResult
