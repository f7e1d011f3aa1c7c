"""What search returns: the public post and user shapes of API.md, read from current rows."""

from __future__ import annotations

from datetime import datetime

import msgspec


class AuthorView(msgspec.Struct, frozen=True):
    id: str
    handle: str
    nickname: str
    avatar_url: str | None


class MentionResult(msgspec.Struct, frozen=True):
    id: str
    handle: str


class PostResult(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    author: AuthorView
    content: str
    language: str
    detected_language: str | None
    target_language: str | None
    hashtags: list[str]
    mentions: list[MentionResult]
    media_urls: list[str]
    like_count: int
    comment_count: int
    liked_by_me: bool
    created_at: datetime
    edited_at: datetime | None
    removed: bool = False


class TargetLanguageResult(msgspec.Struct, frozen=True):
    language: str
    level: str


class UserResult(msgspec.Struct, frozen=True, kw_only=True):
    """The public profile; the viewer flags are None for an anonymous viewer."""

    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[TargetLanguageResult]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime
    is_following: bool | None = None
    is_followed_by: bool | None = None
    is_blocking: bool | None = None


SearchResult = PostResult | UserResult
