"""Posts and comments: what the author wrote, how it changed, and moderation removal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hypehere.domain.feed.errors import ContentHeldError, ContentRemovedError, NotAuthorError
from hypehere.domain.feed.rules import (
    COMMENT_MAX_LENGTH,
    POST_MAX_LENGTH,
    extract_hashtags,
    extract_mention_handles,
    validate_media_urls,
)
from hypehere.domain.shared.holding import Holdable
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.text import clean_text


class RemovalReason(StrEnum):
    REPORT = "report"


@dataclass(frozen=True, slots=True)
class LanguageSpan:
    """A sentence-sized stretch of a mixed-language post (character offsets)."""

    start: int
    end: int
    language: str
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class DetectedLanguage:
    """What the detector found: the main language (None if unsure), its confidence in
    0..1, and per-span languages when more than one language was found."""

    language: str | None
    confidence: float
    spans: tuple[LanguageSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A mentioned user as resolved when the text was written."""

    user_id: str
    handle: str


@dataclass(frozen=True, slots=True)
class PostEdit:
    """The content before an edit (the edit history)."""

    id: str
    post_id: str
    previous_content: str
    edited_at: datetime


def clean_post_content(content: str) -> str:
    return clean_text(content, field="content", min_len=1, max_len=POST_MAX_LENGTH)


def clean_comment_content(content: str) -> str:
    return clean_text(content, field="content", min_len=1, max_len=COMMENT_MAX_LENGTH)


@dataclass(slots=True)
class Post(Holdable):
    id: str
    author_id: str
    content: str
    language: str
    detected_language: str | None
    language_confidence: float
    target_language: str | None
    hashtags: tuple[str, ...]
    mentions: tuple[Mention, ...]
    media_urls: tuple[str, ...]
    created_at: datetime
    edited_at: datetime | None = None
    removed_at: datetime | None = None
    removed_reason: RemovalReason | None = None
    held: bool = False  # waiting for an automatic-moderation verdict: its author only
    language_spans: tuple[LanguageSpan, ...] = ()
    like_count: int = 0
    comment_count: int = 0
    edits: list[PostEdit] = field(default_factory=list)

    @classmethod
    def write(
        cls,
        *,
        author_id: str,
        content: str,
        language: str,
        detection: DetectedLanguage,
        target_language: str | None,
        mentions: tuple[Mention, ...],
        media_urls: tuple[str, ...],
        now: datetime,
    ) -> Post:
        text = clean_post_content(content)
        return cls(
            id=new_id(),
            author_id=author_id,
            content=text,
            language=language,
            detected_language=detection.language,
            language_confidence=detection.confidence,
            target_language=target_language,
            hashtags=extract_hashtags(text),
            mentions=mentions,
            media_urls=validate_media_urls(media_urls),
            created_at=now,
            language_spans=detection.spans,
        )

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def mentioned_user_ids(self) -> tuple[str, ...]:
        return tuple(m.user_id for m in self.mentions)

    @property
    def holder_id(self) -> str:
        return self.author_id

    def ensure_author(self, user_id: str) -> None:
        if user_id != self.author_id:
            raise NotAuthorError("Only the author can change this post.")

    def edit(
        self,
        *,
        editor_id: str,
        now: datetime,
        content: str | None = None,
        language: str | None = None,
        detection: DetectedLanguage | None = None,
        target_language: str | None = None,
        clear_target_language: bool = False,
        mentions: tuple[Mention, ...] | None = None,
        media_urls: tuple[str, ...] | None = None,
    ) -> PostEdit | None:
        """Apply an edit by the author. Returns the history record when the text changed."""
        self.ensure_author(editor_id)
        if self.is_removed:
            raise ContentRemovedError("This post was removed and cannot be edited.")
        if self.held:
            raise ContentHeldError("This post is waiting for a moderation check.")
        record: PostEdit | None = None
        if content is not None:
            text = clean_post_content(content)
            if text != self.content:
                record = PostEdit(new_id(), self.id, self.content, now)
                self.edits.append(record)
                self.content = text
                self.hashtags = extract_hashtags(text)
        if detection is not None:
            self.detected_language = detection.language
            self.language_confidence = detection.confidence
            self.language_spans = detection.spans
        if language is not None:
            self.language = language
        if clear_target_language:
            self.target_language = None
        elif target_language is not None:
            self.target_language = target_language
        if mentions is not None:
            self.mentions = mentions
        if media_urls is not None:
            self.media_urls = validate_media_urls(media_urls)
        self.edited_at = now
        return record

    def remove_by_moderation(self, now: datetime, reason: RemovalReason) -> bool:
        """Hide the post behind the placeholder; the content is kept for staff.
        Returns False when it was already removed (idempotent)."""
        if self.is_removed:
            return False
        self.removed_at = now
        self.removed_reason = reason
        return True

    def restore_by_moderation(self) -> bool:
        """Undo a moderation removal (an overturned appeal). False when not removed."""
        if not self.is_removed:
            return False
        self.removed_at = None
        self.removed_reason = None
        return True


@dataclass(slots=True)
class Comment(Holdable):
    id: str
    post_id: str
    author_id: str
    content: str
    mentions: tuple[Mention, ...]
    created_at: datetime
    removed_at: datetime | None = None
    removed_reason: RemovalReason | None = None
    like_count: int = 0
    held: bool = False  # waiting for an automatic-moderation verdict: its author only

    @property
    def mentioned_user_ids(self) -> tuple[str, ...]:
        return tuple(m.user_id for m in self.mentions)

    @property
    def holder_id(self) -> str:
        return self.author_id

    @classmethod
    def write(
        cls,
        *,
        post: Post,
        author_id: str,
        content: str,
        mentions: tuple[Mention, ...],
        now: datetime,
    ) -> Comment:
        if post.is_removed:
            raise ContentRemovedError("This post was removed and cannot be commented on.")
        return cls(
            id=new_id(),
            post_id=post.id,
            author_id=author_id,
            content=clean_comment_content(content),
            mentions=mentions,
            created_at=now,
        )

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def ensure_can_delete(self, user_id: str, post_author_id: str) -> None:
        """The comment's author, or the author of the post it is on, may delete it."""
        if user_id not in (self.author_id, post_author_id):
            raise NotAuthorError("Only the author can delete this comment.")

    def remove_by_moderation(self, now: datetime, reason: RemovalReason) -> bool:
        if self.is_removed:
            return False
        self.removed_at = now
        self.removed_reason = reason
        return True

    def restore_by_moderation(self) -> bool:
        if not self.is_removed:
            return False
        self.removed_at = None
        self.removed_reason = None
        return True


def mention_handles_of(content: str) -> tuple[str, ...]:
    return extract_mention_handles(content)
