"""Facts about posts, comments and likes, written to the outbox (topics shared with other
modules: search indexes posts from them, notifications fan out from them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hypehere.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class PostCreated(DomainEvent):
    topic: ClassVar[str] = "feed.post_created"
    post_id: str
    author_id: str
    language: str
    hashtags: tuple[str, ...]
    mentioned_user_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PostHeld(DomainEvent):
    """A new post waits for an automatic-moderation verdict (fail-closed tier): nothing
    else happens with it (no fan-out, no index) until it is released, which announces it
    with `PostCreated` as if it had just been written."""

    topic: ClassVar[str] = "feed.post_held"
    post_id: str
    author_id: str
    language: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostUpdated(DomainEvent):
    topic: ClassVar[str] = "feed.post_updated"
    post_id: str
    author_id: str
    mentioned_user_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PostDeleted(DomainEvent):
    topic: ClassVar[str] = "feed.post_deleted"
    post_id: str
    author_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostRemoved(DomainEvent):
    """Removed by moderation (the content stays for staff)."""

    topic: ClassVar[str] = "feed.post_removed"
    post_id: str
    author_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostRestored(DomainEvent):
    """A moderation removal was undone (appeal overturned, staff restore): index it again."""

    topic: ClassVar[str] = "feed.post_restored"
    post_id: str
    author_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentHeld(DomainEvent):
    """A new comment waits for an automatic-moderation verdict (fail-closed tier): nobody
    is notified and it is not counted until it is released, which announces it with
    `CommentCreated` as if it had just been written."""

    topic: ClassVar[str] = "feed.comment_held"
    comment_id: str
    author_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentCreated(DomainEvent):
    topic: ClassVar[str] = "feed.comment_created"
    comment_id: str
    post_id: str
    post_author_id: str
    author_id: str
    mentioned_user_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentRemoved(DomainEvent):
    """Removed by moderation (the content stays for staff)."""

    topic: ClassVar[str] = "feed.comment_removed"
    comment_id: str
    post_id: str
    author_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostLiked(DomainEvent):
    topic: ClassVar[str] = "feed.post_liked"
    post_id: str
    post_author_id: str
    user_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentLiked(DomainEvent):
    topic: ClassVar[str] = "feed.comment_liked"
    comment_id: str
    comment_author_id: str
    post_id: str
    user_id: str
