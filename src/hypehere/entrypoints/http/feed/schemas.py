"""Request and response bodies of posts, comments, feeds and trending (API.md
"Posts, feed, trending, search")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.common.views import MentionCard, UserCard
from hypehere.application.feed.views import (
    CommentView,
    LanguageSpanView,
    PostEditView,
    PostView,
    TrendingHashtagView,
)
from hypehere.domain.feed.rules import (
    COMMENT_MAX_LENGTH,
    MAX_MEDIA_URLS,
    MEDIA_URL_MAX_LENGTH,
    POST_MAX_LENGTH,
)

# Structural bounds only (oversized input -> 422 naming the field); the domain enforces
# the precise rules (content 1-2,000 / 1-1,000 characters, https media, at most 4).
# Something other than whitespace (the rules strip it), at most the rules' length.
PostText = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=POST_MAX_LENGTH)]
CommentText = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=COMMENT_MAX_LENGTH)]
Code = Annotated[str, msgspec.Meta(max_length=16)]
# An absolute https URL with a host (`rules.validate_media_urls`).
Url = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(/[!-~]*)?$",
        max_length=MEDIA_URL_MAX_LENGTH,
    ),
]
MediaList = Annotated[list[Url], msgspec.Meta(max_length=MAX_MEDIA_URLS)]


class PostIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content: PostText
    language: Code | None = None
    target_language: Code | None = None
    media_urls: MediaList = []


class PostPatchIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content: PostText | None = None
    language: Code | None = None
    target_language: Code | msgspec.UnsetType | None = msgspec.UNSET
    media_urls: MediaList | None = None


class CommentIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content: CommentText


class PostOut(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    author: UserCard
    content: str
    language: str
    detected_language: str | None
    detected_language_confidence: float  # 0..1, of `detected_language`
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
    removed_reason: str | None
    language_spans: list[LanguageSpanView]
    # visible | held: a held post waits for an automatic-moderation verdict and only its
    # author sees it (the fail-closed tier: a new account's first posts)
    moderation: str
    # Only for staff, and only on removed posts.
    original_content: str | msgspec.UnsetType = msgspec.UNSET

    @classmethod
    def of(cls, v: PostView, placeholder: str) -> PostOut:
        return cls(
            id=v.id,
            author=v.author,
            content=placeholder if v.removed else v.content,
            language=v.language,
            detected_language=v.detected_language,
            detected_language_confidence=v.language_confidence,
            target_language=v.target_language,
            hashtags=v.hashtags,
            mentions=v.mentions,
            media_urls=[] if v.removed else v.media_urls,
            like_count=v.like_count,
            comment_count=v.comment_count,
            liked_by_me=v.liked_by_me,
            created_at=v.created_at,
            edited_at=v.edited_at,
            removed=v.removed,
            removed_reason=v.removed_reason,
            language_spans=v.language_spans,
            moderation=v.moderation,
            original_content=v.original_content
            if v.original_content is not None
            else msgspec.UNSET,
        )


class PostPageOut(msgspec.Struct, frozen=True):
    items: list[PostOut]
    next_cursor: str | None


class CommentOut(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    post_id: str
    author: UserCard
    content: str
    like_count: int
    liked_by_me: bool
    created_at: datetime
    removed: bool
    removed_reason: str | None
    # visible | held (a new account's first comments: its author only until a verdict)
    moderation: str
    original_content: str | msgspec.UnsetType = msgspec.UNSET

    @classmethod
    def of(cls, v: CommentView, placeholder: str) -> CommentOut:
        return cls(
            id=v.id,
            post_id=v.post_id,
            author=v.author,
            content=placeholder if v.removed else v.content,
            like_count=v.like_count,
            liked_by_me=v.liked_by_me,
            created_at=v.created_at,
            removed=v.removed,
            removed_reason=v.removed_reason,
            moderation=v.moderation,
            original_content=v.original_content
            if v.original_content is not None
            else msgspec.UNSET,
        )


class CommentPageOut(msgspec.Struct, frozen=True):
    items: list[CommentOut]
    next_cursor: str | None


class PostEditListOut(msgspec.Struct, frozen=True):
    items: list[PostEditView]
    next_cursor: str | None = None


class TrendingListOut(msgspec.Struct, frozen=True):
    items: list[TrendingHashtagView]
    next_cursor: str | None = None
