"""Read models of the feed, returned by readers straight from SQL."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.views import MentionCard, UserCard


class LanguageSpanView(msgspec.Struct, frozen=True):
    start: int
    end: int
    language: str
    confidence: float


class PostView(msgspec.Struct, frozen=True):
    """A post as one viewer sees it. For a removed post `content` is "" unless the viewer
    is staff, who also get `original_content`; the HTTP layer shows the localized
    placeholder."""

    id: str
    author: UserCard
    content: str
    language: str
    detected_language: str | None
    language_confidence: float
    target_language: str | None
    hashtags: list[str]
    mentions: list[MentionCard]
    media_urls: list[str]
    like_count: int
    comment_count: int
    liked_by_me: bool
    created_at: datetime
    edited_at: datetime | None
    removed: bool
    removed_reason: str | None = None
    original_content: str | None = None
    language_spans: list[LanguageSpanView] = []
    # "held": waiting for an automatic-moderation verdict, seen by its author only
    moderation: str = "visible"


class CommentView(msgspec.Struct, frozen=True):
    id: str
    post_id: str
    author: UserCard
    content: str
    like_count: int
    liked_by_me: bool
    created_at: datetime
    removed: bool
    removed_reason: str | None = None
    original_content: str | None = None
    moderation: str = "visible"  # held: waiting for a verdict, seen by its author only


class PostEditView(msgspec.Struct, frozen=True):
    previous_content: str
    edited_at: datetime


class TrendingHashtagView(msgspec.Struct, frozen=True):
    tag: str
    post_count: int
    score: float
