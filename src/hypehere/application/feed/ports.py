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
        """Store the comment and atomically add 1 to the post's comment_count (a held
        comment is not counted until it is released)."""
        ...

    async def get(self, comment_id: str) -> Comment | None: ...

    async def held_before(self, before: datetime, limit: int) -> Sequence[Comment]:
        """Held comments (waiting for a moderation verdict), not removed, written before
        `before`: oldest first (created_at, id), at most `limit`."""
        ...

    async def save(self, comment: Comment) -> None:
        """Persist moderation removal, and release: a comment saved no longer held that was
        stored held is counted in its post's comment_count then (once)."""
        ...

    async def delete(self, comment: Comment) -> None:
        """Hard delete and atomically subtract 1 from the post's comment_count (unless the
        comment was held, hence never counted)."""
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
    """How long an author has been here and how many posts (or comments) they wrote (any
    state, deleted ones excepted): what the fail-closed moderation tier decides on."""

    joined_at: datetime | None
    items_written: int


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

    async def author_history(
        self, author_id: str, at_most: int, *, comments: bool = False
    ) -> AuthorHistory:
        """When the author's account was created (None if unknown) and how many of their
        posts (`comments=True`: comments) are stored, counted up to `at_most` (a prolific
        author costs no more)."""
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


class FollowingFeed(Protocol):
    """What `GET /feed/following` reads: `PostReader.following` (fan-in in SQL) or home
    timelines (`home_timeline.HomeTimelineFeed`), as settings choose."""

    async def following(
        self, viewer_id: str, language: str | None, page: PageRequest, *, staff: bool
    ) -> Page[PostView]: ...


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


class TimelineEntry(msgspec.Struct, frozen=True):
    """One post in a home timeline: its id and its time (the page order is created_at
    DESC, id DESC, the same as the SQL following feed and its cursor)."""

    post_id: str
    created_at: datetime


class TimelinePage(msgspec.Struct, frozen=True):
    """A read of a warm home timeline: its entries after the cursor, whether it holds every
    post it ever received (`complete`: never trimmed, so a short page means there is
    nothing older), and the celebrities the owner follows (their posts are merged at read
    time)."""

    entries: list[TimelineEntry]
    complete: bool
    celebrities: list[str]


class HomeTimelines(Protocol):
    """Per-user home timelines of post ids, filled on write (fan-out), trimmed to a horizon.

    A timeline is warm once `rebuild` finished on it and until `mark_cold` (or eviction);
    `add` only writes to timelines that exist (warm or being rebuilt), so users who never
    read cost nothing. A rebuild is two steps around the SQL read (`start_rebuild`, then
    `rebuild`): a post that commits after the SQL read started is fanned out into the
    timeline `start_rebuild` created, so it is never lost between the two."""

    @property
    def horizon(self) -> int:
        """The most entries one timeline keeps (older ones are trimmed)."""
        ...

    async def add(self, entry: TimelineEntry, user_ids: Sequence[str]) -> None:
        """Put `entry` in each existing timeline of `user_ids` and trim them to the horizon."""
        ...

    async def remove(self, post_id: str, user_ids: Sequence[str]) -> None: ...

    async def page(
        self, user_id: str, before: TimelineEntry | None, limit: int
    ) -> TimelinePage | None:
        """Up to `limit` entries strictly after `before` in (created_at DESC, post_id DESC)
        order, with the timeline's completeness and the owner's followed celebrities (the
        followees given to `rebuild` that are marked celebrities now); None when the
        timeline is not warm. A read keeps the timeline from being evicted as idle."""
        ...

    async def start_rebuild(self, user_id: str) -> str:
        """Empty the timeline and mark it as being rebuilt (fan-out writes reach it);
        returns the rebuild's token."""
        ...

    async def rebuild(
        self,
        user_id: str,
        token: str,
        entries: Sequence[TimelineEntry],
        *,
        complete: bool,
        followees: Sequence[str],
    ) -> bool:
        """Merge `entries` (read from SQL after `start_rebuild` returned `token`), keep
        `followees` (whom the user follows: a follow or an unfollow marks the timeline
        cold) and mark the timeline warm; `complete`: `entries` is everything there is.
        False (nothing written) when the timeline was marked cold or another rebuild
        started since."""
        ...

    async def mark_cold(self, user_ids: Sequence[str]) -> None:
        """Drop these timelines: the next read rebuilds them."""
        ...

    async def mark_celebrity(self, author_id: str) -> None:
        """From now on the author's posts are merged at read time (not fanned out)."""
        ...

    async def is_celebrity(self, author_id: str) -> bool: ...

    async def unmark_celebrity(self, author_id: str) -> None: ...


class HomeTimelineSource(Protocol):
    """What home timelines read from the database (owned by the feed's SQL adapters)."""

    async def entry(self, post_id: str) -> tuple[str, TimelineEntry] | None:
        """(author id, entry) of an existing post."""
        ...

    async def fan_out_targets(self, author_id: str, celebrity_followers: int) -> list[str] | None:
        """The author's followers, or None when they are more than `celebrity_followers`
        (a celebrity: their posts are merged at read time instead)."""
        ...

    async def followers(self, user_id: str) -> list[str]: ...

    async def followees(self, user_id: str) -> list[str]: ...

    async def recent_followed(self, user_id: str, limit: int) -> list[TimelineEntry]:
        """The newest `limit` posts by people `user_id` follows (what a rebuild loads)."""
        ...

    async def hydrate(
        self, viewer_id: str, post_ids: Sequence[str], language: str | None, *, staff: bool
    ) -> list[PostView]:
        """The posts rendered, in the given order, keeping only what the following feed
        shows now: authors the viewer still follows, visible and not blocked either way,
        in `language` when given. Deleted posts are skipped; removed ones are placeholders."""
        ...

    async def celebrity_posts(
        self,
        viewer_id: str,
        authors: Sequence[str],
        language: str | None,
        before: TimelineEntry | None,
        limit: int,
        *,
        staff: bool,
    ) -> list[PostView]:
        """Up to `limit` posts after `before` (same order) by these authors, filtered as
        `hydrate` filters (so only those the viewer still follows)."""
        ...
