"""In-memory feed storage: every feed port over plain dicts, for unit tests and the
contract suites (the same suites run against SQLite and Postgres, so this cannot drift).

Users, follows and blocks belong to the users module; tests add them with `add_user`,
`follow` and `block` here (the SQL adapters read the users tables)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypehere.application.common.views import MentionCard, UserCard
from hypehere.application.feed.ports import AuthorHistory, Engagement, Impression
from hypehere.application.feed.views import CommentView, LanguageSpanView, PostEditView, PostView
from hypehere.domain.feed.features import CandidateSignals
from hypehere.domain.feed.model import Comment, Post, PostEdit
from hypehere.domain.feed.rules import HashtagUsage, TrendingHashtag
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    page_from_rows,
)

HIDDEN_STATES = frozenset({"deactivated", "deletion_requested", "deleted", "banned"})
CANDIDATE_WINDOW = timedelta(days=7)
AFFINITY_WINDOW = timedelta(days=90)
SEEN_WINDOW = 1000


@dataclass
class MemoryUser:
    id: str
    handle: str
    nickname: str
    native_language: str
    target_languages: tuple[str, ...] = ()
    state: str = "active"
    avatar_url: str | None = None
    follower_count: int = 0
    joined_at: datetime | None = None


@dataclass
class _FeedState:
    users: dict[str, MemoryUser] = field(default_factory=dict)
    follows: set[tuple[str, str]] = field(default_factory=set)
    blocks: set[tuple[str, str]] = field(default_factory=set)
    posts: dict[str, Post] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    post_likes: set[tuple[str, str]] = field(default_factory=set)
    comment_likes: set[tuple[str, str]] = field(default_factory=set)
    impressions: list[Impression] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    trending: list[TrendingHashtag] = field(default_factory=list)
    edit_history: dict[str, list[PostEdit]] = field(default_factory=dict)


def _time_key(created_at: datetime, item_id: str) -> tuple[str, str]:
    return (ensure_utc(created_at).isoformat(), item_id)


def cursor_time(value: object) -> datetime:
    try:
        return ensure_utc(datetime.fromisoformat(str(value)))
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


def _after(key: tuple[str, str], cursor: tuple[object, ...] | None, *, desc: bool) -> bool:
    if cursor is None:
        return True
    ts = cursor_time(cursor[0])
    mine = datetime.fromisoformat(key[0])
    ck = (ts, str(cursor[1]))
    return (mine, key[1]) < ck if desc else (mine, key[1]) > ck


def _set_like(
    likes: set[tuple[str, str]],
    like: tuple[str, str],
    liked_things: dict[str, Post] | dict[str, Comment],
    *,
    liked: bool,
) -> bool:
    """Adds (`liked`) or removes `like` = (thing id, user id) and keeps the thing's
    like_count; False when there was nothing to change."""
    if (like in likes) == liked:
        return False
    if liked:
        likes.add(like)
    else:
        likes.discard(like)
    liked_things[like[0]].like_count += 1 if liked else -1
    return True


class InMemoryFeed:
    """Implements PostRepository, LikeStore, FeedAudience, FeedCandidates, FeedLog and
    TrendingStore; InMemoryCommentRepository, InMemoryPostReader and InMemoryCommentReader
    are views over its state."""

    def __init__(self) -> None:
        self.state = _FeedState()

    # --- users module data (test setup) ---
    def add_user(self, user: MemoryUser) -> MemoryUser:
        self.state.users[user.id] = user
        return user

    def follow(self, follower_id: str, followee_id: str) -> None:
        if (follower_id, followee_id) not in self.state.follows:
            self.state.follows.add((follower_id, followee_id))
            self.state.users[followee_id].follower_count += 1

    def block(self, blocker_id: str, blocked_id: str) -> None:
        self.state.blocks.add((blocker_id, blocked_id))
        for a, b in ((blocker_id, blocked_id), (blocked_id, blocker_id)):
            if (a, b) in self.state.follows:
                self.state.follows.discard((a, b))
                self.state.users[b].follower_count -= 1

    def set_state(self, user_id: str, state: str) -> None:
        self.state.users[user_id].state = state

    # --- PostRepository ---
    async def add(self, post: Post) -> None:
        stored = copy.deepcopy(post)
        stored.edits = []
        self.state.posts[post.id] = stored

    async def get(self, post_id: str) -> Post | None:
        post = self.state.posts.get(post_id)
        return copy.deepcopy(post) if post else None

    async def held_before(self, before: datetime, limit: int) -> Sequence[Post]:
        found = [
            p
            for p in self.state.posts.values()
            if p.held and not p.is_removed and ensure_utc(p.created_at) < before
        ]
        found.sort(key=lambda p: (ensure_utc(p.created_at), p.id))
        return [copy.deepcopy(p) for p in found[:limit]]

    async def save(self, post: Post) -> None:
        current = self.state.posts[post.id]
        saved = copy.deepcopy(post)
        saved.like_count, saved.comment_count = current.like_count, current.comment_count
        self.state.edit_history.setdefault(post.id, []).extend(post.edits)
        saved.edits = []
        self.state.posts[post.id] = saved

    async def delete(self, post_id: str) -> None:
        self.state.posts.pop(post_id, None)
        self.state.edit_history.pop(post_id, None)
        for cid in [c.id for c in self.state.comments.values() if c.post_id == post_id]:
            del self.state.comments[cid]
            self.state.comment_likes = {x for x in self.state.comment_likes if x[0] != cid}
        self.state.post_likes = {x for x in self.state.post_likes if x[0] != post_id}

    # --- CommentRepository (prefixed: one object implements several ports) ---
    def comment_repository(self) -> InMemoryCommentRepository:
        return InMemoryCommentRepository(self)

    # --- LikeStore ---
    async def like_post(self, post_id: str, user_id: str, now: datetime) -> bool:
        return _set_like(self.state.post_likes, (post_id, user_id), self.state.posts, liked=True)

    async def unlike_post(self, post_id: str, user_id: str) -> bool:
        return _set_like(self.state.post_likes, (post_id, user_id), self.state.posts, liked=False)

    async def like_comment(self, comment_id: str, user_id: str, now: datetime) -> bool:
        likes = self.state.comment_likes
        return _set_like(likes, (comment_id, user_id), self.state.comments, liked=True)

    async def unlike_comment(self, comment_id: str, user_id: str) -> bool:
        likes = self.state.comment_likes
        return _set_like(likes, (comment_id, user_id), self.state.comments, liked=False)

    # --- FeedAudience ---
    async def resolve_handles(self, handles: Sequence[str]) -> dict[str, str]:
        by_handle = {
            u.handle: u.id for u in self.state.users.values() if u.state not in HIDDEN_STATES
        }
        return {h: by_handle[h] for h in handles if h in by_handle}

    async def can_see(self, viewer_id: str | None, author_id: str) -> bool:
        return self.visible(viewer_id, author_id)

    async def is_blocking(self, viewer_id: str, user_id: str) -> bool:
        user = self.state.users.get(user_id)
        hidden = user is None or user.state in HIDDEN_STATES
        return not hidden and (viewer_id, user_id) in self.state.blocks

    async def author_history(
        self, author_id: str, at_most: int, *, comments: bool = False
    ) -> AuthorHistory:
        user = self.state.users.get(author_id)
        items: Iterable[Post | Comment] = (
            self.state.comments.values() if comments else self.state.posts.values()
        )
        written = sum(1 for item in items if item.author_id == author_id)
        return AuthorHistory(user.joined_at if user else None, min(written, at_most))

    def content_visible(self, viewer_id: str | None, item: Post | Comment) -> bool:
        """`visible`, and a held post or comment (waiting for a moderation verdict) only to
        its author (the SQL adapter's `queries.post_visible_to`, `queries.comment_visible_to`)."""
        return item.visible_to(viewer_id) and self.visible(viewer_id, item.author_id)

    def visible(self, viewer_id: str | None, author_id: str) -> bool:
        """The author exists, is not hidden, and neither of the two blocks the other."""
        author = self.state.users.get(author_id)
        if author is None or author.state in HIDDEN_STATES:
            return False
        if viewer_id is None:
            return True
        blocks = self.state.blocks
        return (viewer_id, author_id) not in blocks and (author_id, viewer_id) not in blocks

    # --- FeedCandidates ---
    async def gather(
        self, viewer_id: str, now: datetime, language: str | None, limit: int
    ) -> list[CandidateSignals]:
        viewer = self.state.users[viewer_id]
        targets = set(viewer.target_languages)
        followed = {b for a, b in self.state.follows if a == viewer_id}
        seen_recent = sorted(
            (i for i in self.state.impressions if i.user_id == viewer_id),
            key=lambda i: i.shown_at,
            reverse=True,
        )[:SEEN_WINDOW]
        seen = {i.post_id for i in seen_recent}
        trending_tags = {t.tag for t in self.state.trending}
        since = now - CANDIDATE_WINDOW
        out: list[CandidateSignals] = []
        for post in self.state.posts.values():
            author = self.state.users[post.author_id]
            if (
                post.author_id == viewer_id
                or post.is_removed
                or post.id in seen
                or ensure_utc(post.created_at) < since
                or not self.content_visible(None, post)
                or not self.visible(viewer_id, post.author_id)
                or (language is not None and post.language != language)
            ):
                continue
            is_followed = post.author_id in followed
            native_of_target = post.language in targets and author.native_language == post.language
            learns_native = viewer.native_language in author.target_languages
            is_trending = bool(trending_tags.intersection(post.hashtags))
            if not (is_followed or native_of_target or learns_native or is_trending):
                continue
            out.append(
                CandidateSignals(
                    post_id=post.id,
                    author_id=post.author_id,
                    age_hours=max((now - ensure_utc(post.created_at)).total_seconds(), 0) / 3600,
                    like_count=post.like_count,
                    comment_count=post.comment_count,
                    author_follower_count=author.follower_count,
                    affinity=self._affinity(viewer_id, post.author_id, now),
                    post_language=post.language,
                    viewer_native_language=viewer.native_language,
                    viewer_target_languages=tuple(viewer.target_languages),
                    is_followed_author=is_followed,
                    has_media=bool(post.media_urls),
                    content_length=len(post.content),
                    author_posts_last_7d=sum(
                        1
                        for p in self.state.posts.values()
                        if p.author_id == post.author_id and ensure_utc(p.created_at) >= since
                    ),
                    is_trending=is_trending,
                    author_is_native_of_viewer_target=author.native_language in targets,
                    author_learns_viewer_native=learns_native,
                )
            )
        out.sort(key=lambda c: (c.age_hours, c.post_id))
        return out[:limit]

    def _affinity(self, viewer_id: str, author_id: str, now: datetime) -> float:
        since = now - AFFINITY_WINDOW
        return float(
            sum(
                2 if e.kind == "comment" else 1
                for e in self.state.engagements
                if e.user_id == viewer_id
                and e.author_id == author_id
                and ensure_utc(e.occurred_at) >= since
            )
        )

    # --- FeedLog ---
    async def record_impressions(self, impressions: Sequence[Impression]) -> None:
        self.state.impressions.extend(impressions)

    async def record_engagement(self, engagement: Engagement) -> None:
        self.state.engagements.append(engagement)

    # --- TrendingStore ---
    async def hashtag_usage(self, since: datetime) -> list[HashtagUsage]:
        counts: dict[str, int] = {}
        first: dict[str, datetime] = {}
        for post in self.state.posts.values():
            created = ensure_utc(post.created_at)
            if post.is_removed or post.held or created < since:
                continue
            for tag in post.hashtags:
                counts[tag] = counts.get(tag, 0) + 1
                first[tag] = min(first.get(tag, created), created)
        return [HashtagUsage(tag, n, first[tag]) for tag, n in counts.items()]

    async def replace(self, top: Sequence[TrendingHashtag], computed_at: datetime) -> None:
        self.state.trending = list(top)

    async def current(self) -> list[TrendingHashtag]:
        return list(self.state.trending)


class InMemoryCommentRepository:
    """CommentRepository + CommentReader view over an InMemoryFeed."""

    def __init__(self, feed: InMemoryFeed) -> None:
        self._feed = feed

    async def add(self, comment: Comment) -> None:
        self._feed.state.comments[comment.id] = copy.deepcopy(comment)
        if not comment.held:
            self._feed.state.posts[comment.post_id].comment_count += 1

    async def get(self, comment_id: str) -> Comment | None:
        comment = self._feed.state.comments.get(comment_id)
        return copy.deepcopy(comment) if comment else None

    async def held_before(self, before: datetime, limit: int) -> Sequence[Comment]:
        found = [
            c
            for c in self._feed.state.comments.values()
            if c.held and not c.is_removed and ensure_utc(c.created_at) < before
        ]
        found.sort(key=lambda c: (ensure_utc(c.created_at), c.id))
        return [copy.deepcopy(c) for c in found[:limit]]

    async def save(self, comment: Comment) -> None:
        current = self._feed.state.comments[comment.id]
        saved = copy.deepcopy(comment)
        saved.like_count = current.like_count
        self._feed.state.comments[comment.id] = saved
        post = self._feed.state.posts.get(comment.post_id)
        if current.held and not comment.held and post is not None:
            post.comment_count += 1  # released: counted now

    async def delete(self, comment: Comment) -> None:
        gone = self._feed.state.comments.pop(comment.id, None)
        if gone is not None and not gone.held:
            post = self._feed.state.posts.get(comment.post_id)
            if post is not None:
                post.comment_count -= 1
        self._feed.state.comment_likes = {
            x for x in self._feed.state.comment_likes if x[0] != comment.id
        }

    async def for_post(
        self, viewer_id: str | None, post_id: str, page: PageRequest, *, staff: bool
    ) -> Page[CommentView]:
        return await InMemoryCommentReader(self._feed).for_post(
            viewer_id, post_id, page, staff=staff
        )


class InMemoryPostReader:
    """PostReader over an InMemoryFeed (its `get` is the repository's)."""

    def __init__(self, feed: InMemoryFeed) -> None:
        self._feed = feed

    def _view(self, post: Post, viewer_id: str | None, staff: bool) -> PostView:
        author = self._feed.state.users[post.author_id]
        removed = post.is_removed
        return PostView(
            id=post.id,
            author=UserCard(author.id, author.handle, author.nickname, author.avatar_url),
            content="" if removed and not staff else post.content,
            language=post.language,
            detected_language=post.detected_language,
            language_confidence=post.language_confidence,
            target_language=post.target_language,
            hashtags=list(post.hashtags),
            mentions=[MentionCard(m.user_id, m.handle) for m in post.mentions],
            media_urls=list(post.media_urls),
            like_count=post.like_count,
            comment_count=post.comment_count,
            liked_by_me=(post.id, viewer_id) in self._feed.state.post_likes if viewer_id else False,
            created_at=ensure_utc(post.created_at),
            edited_at=ensure_utc(post.edited_at) if post.edited_at else None,
            removed=removed,
            removed_reason=str(post.removed_reason) if post.removed_reason else None,
            original_content=post.content if removed and staff else None,
            language_spans=[
                LanguageSpanView(s.start, s.end, s.language, s.confidence)
                for s in post.language_spans
            ],
            moderation="held" if post.held else "visible",
        )

    async def get(self, viewer_id: str | None, post_id: str, *, staff: bool) -> PostView | None:
        post = self._feed.state.posts.get(post_id)
        if post is None or not self._feed.content_visible(viewer_id, post):
            return None
        return self._view(post, viewer_id, staff)

    async def get_many(
        self, viewer_id: str, post_ids: Sequence[str], *, staff: bool
    ) -> list[PostView]:
        out = []
        for post_id in post_ids:
            view = await self.get(viewer_id, post_id, staff=staff)
            if view is not None:
                out.append(view)
        return out

    def _list(
        self,
        viewer_id: str | None,
        keep: list[Post],
        language: str | None,
        page: PageRequest,
        staff: bool,
    ) -> Page[PostView]:
        rows = [
            p
            for p in keep
            if self._feed.content_visible(viewer_id, p)
            and (language is None or p.language == language)
            and _after(_time_key(p.created_at, p.id), page.cursor, desc=True)
        ]
        rows.sort(key=lambda p: (ensure_utc(p.created_at), p.id), reverse=True)
        result = page_from_rows(
            rows[: page.limit + 1], page.limit, lambda p: _time_key(p.created_at, p.id)
        )
        return Page([self._view(p, viewer_id, staff) for p in result.items], result.next_cursor)

    async def following(
        self, viewer_id: str, language: str | None, page: PageRequest, *, staff: bool
    ) -> Page[PostView]:
        followed = {b for a, b in self._feed.state.follows if a == viewer_id}
        keep = [p for p in self._feed.state.posts.values() if p.author_id in followed]
        return self._list(viewer_id, keep, language, page, staff)

    async def by_hashtag(
        self,
        viewer_id: str | None,
        tag: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]:
        keep = [p for p in self._feed.state.posts.values() if tag in p.hashtags]
        return self._list(viewer_id, keep, language, page, staff)

    async def by_author(
        self,
        viewer_id: str | None,
        author_id: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]:
        keep = [p for p in self._feed.state.posts.values() if p.author_id == author_id]
        return self._list(viewer_id, keep, language, page, staff)

    async def edits(self, post_id: str) -> list[PostEditView]:
        history = self._feed.state.edit_history.get(post_id, [])
        ordered = sorted(history, key=lambda e: (ensure_utc(e.edited_at), e.id), reverse=True)
        return [PostEditView(e.previous_content, ensure_utc(e.edited_at)) for e in ordered]


class InMemoryCommentReader:
    def __init__(self, feed: InMemoryFeed) -> None:
        self._feed = feed

    def _comment_view(self, c: Comment, viewer_id: str | None, staff: bool) -> CommentView:
        author = self._feed.state.users[c.author_id]
        return CommentView(
            id=c.id,
            post_id=c.post_id,
            author=UserCard(author.id, author.handle, author.nickname, author.avatar_url),
            content="" if c.is_removed and not staff else c.content,
            like_count=c.like_count,
            liked_by_me=(c.id, viewer_id) in self._feed.state.comment_likes if viewer_id else False,
            created_at=ensure_utc(c.created_at),
            removed=c.is_removed,
            removed_reason=str(c.removed_reason) if c.removed_reason else None,
            original_content=c.content if c.is_removed and staff else None,
            moderation="held" if c.held else "visible",
        )

    async def for_post(
        self, viewer_id: str | None, post_id: str, page: PageRequest, *, staff: bool
    ) -> Page[CommentView]:
        rows = [
            c
            for c in self._feed.state.comments.values()
            if c.post_id == post_id
            and self._feed.content_visible(viewer_id, c)
            and _after(_time_key(c.created_at, c.id), page.cursor, desc=False)
        ]
        rows.sort(key=lambda c: (ensure_utc(c.created_at), c.id))
        result = page_from_rows(
            rows[: page.limit + 1], page.limit, lambda c: _time_key(c.created_at, c.id)
        )
        return Page(
            [self._comment_view(c, viewer_id, staff) for c in result.items], result.next_cursor
        )

    async def get(
        self, viewer_id: str | None, comment_id: str, *, staff: bool
    ) -> CommentView | None:
        c = self._feed.state.comments.get(comment_id)
        if c is None or not self._feed.content_visible(viewer_id, c):
            return None
        post = self._feed.state.posts.get(c.post_id)
        if post is None or not self._feed.visible(viewer_id, post.author_id):
            return None
        return self._comment_view(c, viewer_id, staff)
