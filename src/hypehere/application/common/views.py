"""Public shapes that several modules' views share (API.md sends them the same way
wherever they appear): a user as shown beside what they did, a mention, a language with
its level, and the public part of a profile."""

from __future__ import annotations

from datetime import datetime

import msgspec


class UserCard(msgspec.Struct, frozen=True):
    """A user beside something: a post's author, a notification's actor, a conversation's
    other participant."""

    id: str
    handle: str
    nickname: str
    avatar_url: str | None = None


class MentionCard(msgspec.Struct, frozen=True):
    id: str
    handle: str


class LanguageLevel(msgspec.Struct, frozen=True):
    language: str
    level: str


class PublicProfile(msgspec.Struct, frozen=True, kw_only=True):
    """What anyone may see of a user; profile, search and account views extend it."""

    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[LanguageLevel]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime


class ViewedProfile(PublicProfile, frozen=True, kw_only=True):
    """A public profile with how the signed-in viewer stands to the user (None for an
    anonymous viewer)."""

    is_following: bool | None = None
    is_followed_by: bool | None = None
    is_blocking: bool | None = None
