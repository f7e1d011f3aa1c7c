"""What search returns: the public post and user shapes of API.md and lessons as the
learning module lists them, read from current rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


class LessonResult(msgspec.Struct, frozen=True, kw_only=True):
    """A lesson as `GET /learning/categories/{id}/lessons` lists it (without progress):
    title and description in the viewer's language (`display_text`)."""

    id: str
    key: str
    category_id: str
    position: int
    level: str
    title: str
    description: str
    languages: list[str]
    expression_count: int


def display_text(texts: Mapping[str, str], languages: Sequence[str]) -> str:
    """The text in the first of `languages` that has one, else any (content is written in
    several languages; the viewer reads the first they know)."""
    for language in languages:
        if texts.get(language):
            return texts[language]
    return next(iter(texts.values()), "")


SearchResult = PostResult | UserResult | LessonResult
