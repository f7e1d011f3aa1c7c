"""Feed use cases with in-memory fakes: posting, likes, moderation, the ranked feed's
snapshot paging and invalidation, trending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from hypehere.adapters.language.script_detector import ScriptLanguageDetector
from hypehere.adapters.memory.cache import InMemoryCache
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.feed import (
    InMemoryCommentReader,
    InMemoryCommentRepository,
    InMemoryFeed,
    InMemoryPostReader,
    MemoryUser,
)
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.deferred import Later
from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.feed import get_feed as get_feed_module
from hypehere.application.feed import handlers as feed_handlers
from hypehere.application.feed.create_comment import CreateComment, CreateCommentCommand
from hypehere.application.feed.create_post import CreatePost, CreatePostCommand
from hypehere.application.feed.get_feed import GetFeedQuery, GetRankedFeed
from hypehere.application.feed.get_trending_hashtags import (
    GetTrendingHashtags,
    GetTrendingHashtagsQuery,
)
from hypehere.application.feed.invalidate_feed import InvalidateFeed
from hypehere.application.feed.like_comment import LikeComment, LikeCommentCommand
from hypehere.application.feed.like_post import LikePost, LikePostCommand
from hypehere.application.feed.list_held_content import ListHeldContent, ListHeldContentQuery
from hypehere.application.feed.refresh_trending_hashtags import (
    RefreshTrendingHashtags,
    RefreshTrendingHashtagsCommand,
)
from hypehere.application.feed.release_comment import ReleaseComment, ReleaseCommentCommand
from hypehere.application.feed.release_post import ReleasePost, ReleasePostCommand
from hypehere.application.feed.remove_post import RemovePost, RemovePostCommand
from hypehere.application.feed.restore_content import RestoreContent, RestoreContentCommand
from hypehere.application.feed.snapshots import FeedSnapshots
from hypehere.application.feed.unlike_post import UnlikePost, UnlikePostCommand
from hypehere.application.feed.update_post import UpdatePost, UpdatePostCommand
from hypehere.domain.feed.errors import CommentNotFoundError, ContentHeldError, PostNotFoundError
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from hypehere.domain.shared.holding import CommentHoldPolicy, HoldPolicy
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest, encode_cursor

pytestmark = pytest.mark.unit


@dataclass
class Harness:
    feed: InMemoryFeed
    uow: InMemoryUnitOfWork
    outbox: InMemoryOutbox
    clock: FixedClock
    cache: InMemoryCache

    def user(self, handle: str, native: str = "en", targets: tuple[str, ...] = ()) -> Actor:
        self.feed.add_user(MemoryUser(new_id(), handle, handle.title(), native, targets))
        return Actor(next(u.id for u in self.feed.state.users.values() if u.handle == handle))

    def create_comment(
        self, hold: CommentHoldPolicy = CommentHoldPolicy(first_items=0)
    ) -> CreateComment:
        return CreateComment(
            self.uow,
            self.feed,
            InMemoryCommentRepository(self.feed),
            InMemoryCommentReader(self.feed),
            self.feed,
            self.feed,
            self.outbox,
            self.clock,
            hold,
        )

    def create_post(self, hold: HoldPolicy = HoldPolicy(first_items=0)) -> CreatePost:
        return CreatePost(
            self.uow,
            self.feed,
            InMemoryPostReader(self.feed),
            self.feed,
            ScriptLanguageDetector(),
            self.outbox,
            self.clock,
            hold,
        )

    def ranked_feed(self) -> GetRankedFeed:
        return GetRankedFeed(
            self.uow,
            self.feed,
            HeuristicRanker(),
            FeedSnapshots(self.cache),
            InMemoryPostReader(self.feed),
            self.feed,
            self.clock,
        )


@pytest.fixture
def h() -> Harness:
    clock = FixedClock(datetime(2026, 5, 1, 12, tzinfo=UTC))
    return Harness(
        InMemoryFeed(), InMemoryUnitOfWork(), InMemoryOutbox(), clock, InMemoryCache(clock)
    )


async def post(h: Harness, actor: Actor, text: str, **kw: object) -> str:
    result = await h.create_post().execute(CreatePostCommand(actor, text, **kw))  # type: ignore[arg-type]
    h.clock.advance(seconds=1)
    return result.post.id


async def test_create_post_detects_language_resolves_mentions_and_announces(h: Harness) -> None:
    alice = h.user("alice")
    bob = h.user("bob")
    result = await h.create_post().execute(
        CreatePostCommand(alice, "안녕하세요 여러분 오늘도 화이팅 @bob @ghost #한국어 #Study")
    )
    view = result.post
    assert view.language == "ko" and view.detected_language == "ko"
    assert [m.id for m in view.mentions] == [bob.user_id]
    assert view.hashtags == ["한국어", "study"]
    assert h.uow.commits == 1
    [event] = h.outbox.messages
    assert event.topic == "feed.post_created"
    assert event.payload == {
        "post_id": view.id,
        "author_id": alice.user_id,
        "language": "ko",
        "hashtags": ["한국어", "study"],
        "mentioned_user_ids": [bob.user_id],
    }
    with pytest.raises(InvalidInputError) as info:
        await h.create_post().execute(CreatePostCommand(alice, "😀 123"))
    assert info.value.field == "language"
    manual = await h.create_post().execute(CreatePostCommand(alice, "😀 123", language="KO"))
    assert manual.post.language == "ko" and manual.post.detected_language is None


async def test_like_once_logs_engagement_and_event(h: Harness) -> None:
    alice, bob = h.user("alice"), h.user("bob")
    post_id = await post(h, alice, "hello there")
    like = LikePost(h.uow, h.feed, h.feed, h.feed, h.feed, h.outbox, h.clock)
    assert (await like.execute(LikePostCommand(bob, post_id))).changed is True
    assert (await like.execute(LikePostCommand(bob, post_id))).changed is False
    assert h.feed.state.posts[post_id].like_count == 1
    assert [e.kind for e in h.feed.state.engagements] == ["like"]
    assert h.outbox.topics().count("feed.post_liked") == 1
    unlike = UnlikePost(h.uow, h.feed, h.feed, h.feed)
    assert (await unlike.execute(UnlikePostCommand(bob, post_id))).changed is True
    assert (await unlike.execute(UnlikePostCommand(bob, post_id))).changed is False
    assert h.feed.state.posts[post_id].like_count == 0
    assert (await like.execute(LikePostCommand(bob, post_id))).changed is True
    comment = h.create_comment()
    view = await comment.execute(CreateCommentCommand(bob, post_id, "great @alice"))
    assert view.content == "great @alice"
    assert h.feed.state.posts[post_id].comment_count == 1
    created = next(m for m in h.outbox.messages if m.topic == "feed.comment_created")
    assert created.payload["mentioned_user_ids"] == [alice.user_id]
    assert created.payload["post_author_id"] == alice.user_id


async def test_only_staff_remove_posts(h: Harness) -> None:
    alice = h.user("alice")
    post_id = await post(h, alice, "hello there")
    remove = RemovePost(h.uow, h.feed, h.outbox, h.clock)
    with pytest.raises(StaffOnlyError):
        await remove.execute(RemovePostCommand(alice, post_id))
    staff = Actor(new_id(), Role.MODERATOR)
    assert (await remove.execute(RemovePostCommand(staff, post_id))).changed is True
    assert (await remove.execute(RemovePostCommand(staff, post_id))).changed is False
    assert h.outbox.topics().count("feed.post_removed") == 1
    assert h.feed.state.posts[post_id].content == "hello there"  # kept for staff


async def test_a_new_accounts_first_posts_are_held_until_released(h: Harness) -> None:
    h.feed.add_user(MemoryUser("newbie", "newbie", "Newbie", "en", joined_at=h.clock.now()))
    newbie, reader = Actor("newbie"), h.user("reader")
    create = h.create_post(HoldPolicy(new_account_days=7, first_items=1))
    held = (await create.execute(CreatePostCommand(newbie, "my very first post"))).post
    assert held.moderation == "held"
    assert h.outbox.topics() == ["feed.post_held"]
    free = (await create.execute(CreatePostCommand(newbie, "my second post"))).post
    assert free.moderation == "visible" and h.outbox.topics()[-1] == "feed.post_created"
    posts = InMemoryPostReader(h.feed)
    assert await posts.get(reader.user_id, held.id, staff=False) is None
    assert await posts.get(None, held.id, staff=False) is None
    assert await posts.get(newbie.user_id, held.id, staff=False) is not None
    like = LikePost(h.uow, h.feed, h.feed, h.feed, h.feed, h.outbox, h.clock)
    with pytest.raises(PostNotFoundError):
        await like.execute(LikePostCommand(reader, held.id))
    update = UpdatePost(
        h.uow,
        h.feed,
        InMemoryPostReader(h.feed),
        h.feed,
        ScriptLanguageDetector(),
        h.outbox,
        h.clock,
    )
    with pytest.raises(ContentHeldError):
        await update.execute(UpdatePostCommand(newbie, held.id, content="edited"))

    release = ReleasePost(h.uow, h.feed, h.outbox, h.clock)
    staff = Actor(new_id(), Role.MODERATOR)
    with pytest.raises(StaffOnlyError):
        await release.execute(ReleasePostCommand(newbie, held.id))
    assert (await release.execute(ReleasePostCommand(staff, held.id))).changed is True
    assert (await release.execute(ReleasePostCommand(staff, held.id))).changed is False
    assert h.outbox.topics()[-1] == "feed.post_created"
    assert await posts.get(reader.user_id, held.id, staff=False) is not None

    # an account older than new_account_days is never held
    h.clock.advance(days=8)
    late = await h.create_post(HoldPolicy(first_items=5)).execute(
        CreatePostCommand(newbie, "a week later")
    )
    assert late.post.moderation == "visible"


async def test_a_new_accounts_first_comments_are_held_until_released(h: Harness) -> None:
    alice, reader = h.user("alice"), h.user("reader")
    post_id = await post(h, alice, "hello there")
    h.feed.add_user(MemoryUser("newbie", "newbie", "Newbie", "en", joined_at=h.clock.now()))
    newbie = Actor("newbie")
    create = h.create_comment(CommentHoldPolicy(new_account_days=7, first_items=1))
    held = await create.execute(CreateCommentCommand(newbie, post_id, "my first comment"))
    assert held.moderation == "held"
    assert h.outbox.topics()[-1] == "feed.comment_held"
    assert h.feed.state.posts[post_id].comment_count == 0  # not counted while held
    comments = InMemoryCommentReader(h.feed)
    for viewer in (alice.user_id, reader.user_id, None):
        assert await comments.get(viewer, held.id, staff=False) is None
        page = await comments.for_post(viewer, post_id, PageRequest(limit=10), staff=False)
        assert page.items == []
    assert await comments.get(newbie.user_id, held.id, staff=False) is not None
    like = LikeComment(
        h.uow, h.feed.comment_repository(), h.feed, h.feed, h.feed, h.outbox, h.clock
    )
    with pytest.raises(CommentNotFoundError):
        await like.execute(LikeCommentCommand(alice, held.id))
    free = await create.execute(CreateCommentCommand(newbie, post_id, "my second comment"))
    assert free.moderation == "visible" and h.outbox.topics()[-1] == "feed.comment_created"
    assert h.feed.state.posts[post_id].comment_count == 1

    release = ReleaseComment(h.uow, h.feed.comment_repository(), h.feed, h.outbox, h.clock)
    staff = Actor(new_id(), Role.MODERATOR)
    with pytest.raises(StaffOnlyError):
        await release.execute(ReleaseCommentCommand(newbie, held.id))
    assert (await release.execute(ReleaseCommentCommand(staff, held.id))).changed is True
    assert (await release.execute(ReleaseCommentCommand(staff, held.id))).changed is False
    assert h.outbox.topics().count("feed.comment_created") == 2
    assert h.feed.state.posts[post_id].comment_count == 2  # counted once, on release
    assert await comments.get(alice.user_id, held.id, staff=False) is not None


async def test_held_posts_and_comments_wait_oldest_first_for_the_recheck(h: Harness) -> None:
    h.feed.add_user(MemoryUser("newbie", "newbie", "Newbie", "en", joined_at=h.clock.now()))
    newbie = Actor("newbie")
    held_post = await h.create_post(HoldPolicy(first_items=5)).execute(
        CreatePostCommand(newbie, "my first post")
    )
    h.clock.advance(minutes=1)
    alice = h.user("alice")
    post_id = await post(h, alice, "hello there")
    h.clock.advance(minutes=1)
    held_comment = await h.create_comment(CommentHoldPolicy(first_items=5)).execute(
        CreateCommentCommand(newbie, post_id, "my first comment")
    )
    listing = ListHeldContent(h.uow, h.feed, h.feed.comment_repository())
    staff = Actor(new_id(), Role.MODERATOR)
    with pytest.raises(StaffOnlyError):
        await listing.execute(ListHeldContentQuery(actor=newbie, before=h.clock.now()))
    h.clock.advance(minutes=1)
    found = await listing.execute(ListHeldContentQuery(actor=staff, before=h.clock.now()))
    assert [(i.kind, i.id) for i in found] == [
        ("post", held_post.post.id),
        ("comment", held_comment.id),
    ]


async def test_restoring_a_removed_post_announces_it(h: Harness) -> None:
    alice = h.user("alice")
    post_id = await post(h, alice, "hello there")
    staff = Actor(new_id(), Role.MODERATOR)
    await RemovePost(h.uow, h.feed, h.outbox, h.clock).execute(RemovePostCommand(staff, post_id))
    restore = RestoreContent(h.uow, h.feed, h.feed.comment_repository(), h.outbox, h.clock)
    assert (await restore.execute(RestoreContentCommand(actor=staff, post_id=post_id))).changed
    assert h.outbox.topics()[-1] == "feed.post_restored"


async def test_ranked_feed_pages_a_snapshot_and_logs_impressions(h: Harness) -> None:
    me = h.user("me", native="ko", targets=("en",))
    authors = [h.user(f"author{i}") for i in range(3)]
    for a in authors:
        h.feed.follow(me.user_id, a.user_id)
    for i in range(12):
        await post(h, authors[i % 3], f"hello number {i}")
    feed = h.ranked_feed()
    first = await feed.execute(GetFeedQuery(me, limit=5))
    assert len(first.items) == 5 and first.next_cursor
    late = await post(h, authors[0], "a late post")
    second = await feed.execute(GetFeedQuery(me, limit=5, cursor=first.next_cursor))
    retry = await feed.execute(GetFeedQuery(me, limit=5, cursor=first.next_cursor))
    assert [p.id for p in second.items] == [p.id for p in retry.items]
    third = await feed.execute(GetFeedQuery(me, limit=5, cursor=second.next_cursor))
    ids = [p.id for page in (first, second, third) for p in page.items]
    assert len(ids) == 12 and len(set(ids)) == 12 and late not in ids
    assert third.next_cursor is None
    positions = [(i.position, i.post_id) for i in h.feed.state.impressions]
    assert [p for p, _ in positions] == list(range(12))  # the retry logged nothing twice
    assert {i.feed_session_id for i in h.feed.state.impressions} == {
        h.feed.state.impressions[0].feed_session_id
    }
    assert h.feed.state.impressions[0].signals is not None
    # A new session shows only what was not seen yet.
    fresh = await feed.execute(GetFeedQuery(me, limit=5))
    assert [p.id for p in fresh.items] == [late]


async def test_a_deferred_page_logs_its_impressions_only_when_the_work_runs(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = h.user("me", native="ko", targets=("en",))
    author = h.user("author")
    h.feed.follow(me.user_id, author.user_id)
    for i in range(4):
        await post(h, author, f"deferred {i}")
    feed = h.ranked_feed()
    later: list[Later] = []
    page = await feed.execute(GetFeedQuery(me, limit=2, defer=later.append))
    assert len(page.items) == 2 and len(later) == 1
    assert h.feed.state.impressions == []  # nothing written before the answer
    await later[0]()
    assert [i.post_id for i in h.feed.state.impressions] == [p.id for p in page.items]

    # After the answer nobody can be told: a failed write is logged, not raised.
    async def broken(impressions: object) -> None:
        raise RuntimeError("database down")

    logged: list[str] = []

    class Logger:
        def exception(self, event: str, **fields: object) -> None:
            logged.append(event)

    monkeypatch.setattr(h.feed, "record_impressions", broken)
    monkeypatch.setattr(get_feed_module, "logger", Logger())
    later.clear()
    await feed.execute(GetFeedQuery(me, limit=2, cursor=page.next_cursor, defer=later.append))
    await later[0]()
    assert logged == ["feed_impressions_not_logged"]
    assert len(h.feed.state.impressions) == 2


async def test_follow_event_invalidates_the_snapshot(h: Harness) -> None:
    me = h.user("me", native="ko", targets=("en",))
    a, b = h.user("a"), h.user("b", native="ja")
    h.feed.follow(me.user_id, a.user_id)
    for i in range(4):
        await post(h, a, f"from a {i}")
    b_post = await post(h, b, "konnichiwa from b", language="ja")
    feed = h.ranked_feed()
    first = await feed.execute(GetFeedQuery(me, limit=2))
    h.feed.follow(me.user_id, b.user_id)
    [on_follow] = [
        s for s in feed_handlers.SUBSCRIPTIONS if s.handler_name == "feed.invalidate_on_follow"
    ]
    handler = on_follow.handler(InvalidateFeed(FeedSnapshots(h.cache)))
    await handler.handle(
        OutboxMessage(
            new_id(),
            "users.followed",
            {"follower_id": me.user_id, "followee_id": b.user_id},
            h.clock.now(),
        )
    )
    rest = await feed.execute(GetFeedQuery(me, limit=10, cursor=first.next_cursor))
    ids = [p.id for p in first.items] + [p.id for p in rest.items]
    assert b_post in ids and len(ids) == len(set(ids)) == 5


async def test_bad_feed_cursors(h: Harness) -> None:
    me = h.user("me")
    feed = h.ranked_feed()
    for cursor in (encode_cursor(("not-an-id", 1)), encode_cursor((new_id(), 0)), "%%%"):
        with pytest.raises(InvalidCursorError):
            await feed.execute(GetFeedQuery(me, cursor=cursor))
    first = await feed.execute(GetFeedQuery(me))
    assert first.items == [] and first.next_cursor is None


async def test_trending_refresh_and_read(h: Harness) -> None:
    alice = h.user("alice")
    for i in range(3):
        await post(h, alice, f"#Hot take {i}")
    h.clock.advance(hours=1)
    refreshed = await RefreshTrendingHashtags(h.uow, h.feed, h.cache, h.clock).execute(
        RefreshTrendingHashtagsCommand()
    )
    assert [(t.tag, t.post_count) for t in refreshed.hashtags] == [("hot", 3)]
    got = await GetTrendingHashtags(h.feed, h.cache).execute(GetTrendingHashtagsQuery())
    assert got == refreshed.hashtags
    assert h.feed.state.trending[0].tag == "hot"
    h.clock.advance(days=2)
    await RefreshTrendingHashtags(h.uow, h.feed, h.cache, h.clock).execute(
        RefreshTrendingHashtagsCommand()
    )
    assert await GetTrendingHashtags(h.feed, h.cache).execute(GetTrendingHashtagsQuery()) == []
    assert timedelta(hours=1)
