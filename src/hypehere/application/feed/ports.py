"""Ports the feed use cases depend on. SQL adapters live in `adapters/sql/feed/`,
in-memory ones in `adapters/memory/feed.py`; one contract suite per port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from hypehere.application.feed.views import CommentView, PostEditView, PostView
from hypehere.domain.feed.features import CandidateSignals
from hypehere.domain.feed.model import Comment, DetectedLanguage, Post
from hypehere.domain.feed.rules import HashtagUsage, TrendingHashtag
from hypehere.domain.shared.pagination import Page, PageRequest


class PostRepository(Protocol):
    async def add(self, post: Post) -> None:
        """Store a new post with its hashtags and language spans."""
        ...

    async def get(self, post_id: str) -> Post | None: ...

    async def held_before(self, before: datetime, limit: int) -> Sequence[Post]:
        """Held posts (waiting for a moderation verdict), not removed, written before
        `before`: oldest first (created_at, id), at most `limit`."""
        ...

    async def save(self, post: Post) -> None:
        """Persist edits (content, languages, hashtags, mentions, media, new history
        records in `post.edits`) and moderation removal. Counters are not written here."""
        ...

    async def delete(self, post_id: str) -> None:
        """Hard delete: the post, its history, comments, likes and hashtags."""
        ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None:
        """Store the comment and atomically add 1 to the post's comment_count."""
        ...

    async def get(self, comment_id: str) -> Comment | None: ...

    async def save(self, comment: Comment) -> None:
        """Persist moderation removal."""
        ...

    async def delete(self, comment: Comment) -> None:
        """Hard delete and atomically subtract 1 from the post's comment_count."""
        ...


class LikeStore(Protocol):
    """Likes with exact denormalized counters: a like that already exists changes nothing;
    counters move by atomic UPDATE in the same transaction as the like row."""

    async def like_post(self, post_id: str, user_id: str, now: datetime) -> bool:
        """True when the like is new."""
        ...

    async def unlike_post(self, post_id: str, user_id: str) -> bool: ...

    async def like_comment(self, comment_id: str, user_id: str, now: datetime) -> bool: ...

    async def unlike_comment(self, comment_id: str, user_id: str) -> bool: ...


class AuthorHistory(msgspec.Struct, frozen=True):
    """How long an author has been here and how many posts they wrote (any state, deleted
    ones excepted): what the fail-closed moderation tier decides on."""

    joined_at: datetime | None
    posts_written: int


class FeedAudience(Protocol):
    """What the feed needs to know about users (owned by the users module; read-only)."""

    async def resolve_handles(self, handles: Sequence[str]) -> dict[str, str]:
        """handle -> user id for the handles that belong to existing, visible users."""
        ...

    async def can_see(self, viewer_id: str | None, author_id: str) -> bool:
        """False when either blocked the other or the author's account is hidden
        (deactivated, deletion requested, deleted, banned)."""
        ...

    async def is_blocking(self, viewer_id: str, user_id: str) -> bool:
        """The viewer blocks `user_id` (the blocker still sees the profile, without posts)."""
        ...

    async def author_history(self, author_id: str, at_most: int) -> AuthorHistory:
        """When the author's account was created (None if unknown) and how many of their
        posts are stored, counted up to `at_most` (a prolific author costs no more)."""
        ...


class PostReader(Protocol):
    """Posts rendered for a viewer in one query per call. Hidden posts (blocked either
    way, hidden authors) are never returned; removed ones come back as placeholders."""

    async def get(self, viewer_id: str | None, post_id: str, *, staff: bool) -> PostView | None: ...

    async def get_many(
        self, viewer_id: str, post_ids: Sequence[str], *, staff: bool
    ) -> list[PostView]:
        """In the given order; ids that are gone or hidden are skipped."""
        ...

    async def following(
        self, viewer_id: str, language: str | None, page: PageRequest, *, staff: bool
    ) -> Page[PostView]:
        """Posts by people the viewer follows, newest first."""
        ...

    async def by_hashtag(
        self,
        viewer_id: str | None,
        tag: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]: ...

    async def by_author(
        self,
        viewer_id: str | None,
        author_id: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]: ...

    async def edits(self, post_id: str) -> list[PostEditView]:
        """Edit history, newest first."""
        ...


class CommentReader(Protocol):
    async def for_post(
        self, viewer_id: str | None, post_id: str, page: PageRequest, *, staff: bool
    ) -> Page[CommentView]:
        """Oldest first; comments by users hidden from the viewer are skipped."""
        ...

    async def get(
        self, viewer_id: str | None, comment_id: str, *, staff: bool
    ) -> CommentView | None: ...


class FeedCandidates(Protocol):
    async def gather(
        self, viewer_id: str, now: datetime, language: str | None, limit: int
    ) -> list[CandidateSignals]:
        """Candidates for the ranked feed with their ranking signals, deduplicated:
        followed authors' recent posts, posts in the viewer's target languages by native
        speakers, posts by learners of the viewer's native language, trending posts.
        Never the viewer's own, removed, hidden-author, blocked or recently seen posts."""
        ...


class Impression(msgspec.Struct, frozen=True):
    user_id: str
    post_id: str
    author_id: str
    feed_session_id: str
    position: int
    score: float
    ranker: str
    shown_at: datetime
    signals: dict[str, object] | None = None


class Engagement(msgspec.Struct, frozen=True):
    user_id: str
    post_id: str
    author_id: str
    kind: str  # "like" | "comment"
    occurred_at: datetime


class FeedLog(Protocol):
    """Impressions and engagements: ranker training data and the "seen" window."""

    async def record_impressions(self, impressions: Sequence[Impression]) -> None: ...

    async def record_engagement(self, engagement: Engagement) -> None: ...


class TrendingStore(Protocol):
    async def hashtag_usage(self, since: datetime) -> list[HashtagUsage]:
        """Per tag: posts (not removed) using it since `since`, and its first use there."""
        ...

    async def replace(self, top: Sequence[TrendingHashtag], computed_at: datetime) -> None: ...

    async def current(self) -> list[TrendingHashtag]:
        """The last computed top list, best first."""
        ...


class LanguageDetector(Protocol):
    def detect(self, text: str) -> DetectedLanguage:
        """The main language (None when unsure) with confidence, plus sentence spans
        when more than one language is found."""
        ...
