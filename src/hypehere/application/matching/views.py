"""What the matching endpoints and sockets show of an anonymous conversation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class LearnedLanguageOut(msgspec.Struct, frozen=True):
    language: str
    level: str


class AnonymousPartner(msgspec.Struct, frozen=True):
    """All that is known of an anonymous partner before the reveal."""

    native_language: str
    target_languages: list[LearnedLanguageOut]


class PublicProfile(msgspec.Struct, frozen=True, kw_only=True):
    """A revealed participant: the public profile (API.md "user")."""

    id: str
    handle: str
    nickname: str
    bio: str
    avatar_url: str | None
    native_language: str
    target_languages: list[LearnedLanguageOut]
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime


class AnonymousConversationView(msgspec.Struct, frozen=True, kw_only=True):
    """`partner` is `AnonymousPartner` ({native_language, target_languages}) until both
    revealed, then the partner's `PublicProfile` (as a JSON object: the two shapes are one
    field, which OpenAPI cannot express as a union of untagged structs)."""

    id: str
    kind: str
    mode: str
    started_at: datetime
    ended_at: datetime | None
    revealed: bool
    partner: dict[str, Any]
