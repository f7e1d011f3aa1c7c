"""One contract for the feed's storage ports (repositories, likes, audience, readers,
candidates, log, trending), run against the in-memory fakes, SQLite and Postgres."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from hypehere.application.feed.ports import Engagement, Impression
from hypehere.domain.feed.model import (
    Comment,
    DetectedLanguage,
    LanguageSpan,
    Mention,
    Post,
    RemovalReason,
)
from hypehere.domain.feed.rules import TrendingHashtag
from hypehere.domain.shared.pagination import PageRequest, decode_cursor
from tests.contract.feed.world import EPOCH, MemoryWorld, World, sql_world

NOW = EPOCH + timedelta(days=30)


def make_post(
    author: str,
    content: str = "hello #Tag",
    *,
    language: str = "en",
    minutes_ago: float = 0,
    media: tuple[str, ...] = (),
    mentions: tuple[Mention, ...] = (),
    spans: tuple[LanguageSpan, ...] = (),
) -> Post:
    return Post.write(
        author_id=author,
        content=content,
        language=language,
        detection=DetectedLanguage(language, 0.9, spans),
        target_language=None,
        mentions=mentions,
        media_urls=media,
        now=NOW - timedelta(minutes=minutes_ago),
    )


class FeedStoreContract:
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        raise NotImplementedError
        yield

    async def test_post_round_trip_with_children(self, world: World) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        spans = (LanguageSpan(0, 10, "ko", 1.0), LanguageSpan(10, 30, "en", 0.5))
        post = make_post(
            alice,
            "안녕하세요 @bob #Kpop #공부",
            mentions=(Mention(bob, "bob"),),
            media=("https://x.test/a.png",),
            spans=spans,
        )
        await world.ports.posts.add(post)
        await world.commit()
        loaded = await world.ports.posts.get(post.id)
        assert loaded is not None
        assert loaded.hashtags == ("kpop", "공부")
        assert loaded.mentions == (Mention(bob, "bob"),)
        assert loaded.media_urls == ("https://x.test/a.png",)
        assert loaded.language_spans == spans
        assert loaded.created_at == post.created_at
        view = await world.ports.reader.get(bob, post.id, staff=False)
        assert view is not None
        assert view.author.handle == "alice"
        assert [m.handle for m in view.mentions] == ["bob"]
        assert [s.language for s in view.language_spans] == ["ko", "en"]
        assert await world.ports.posts.get("00000000-0000-7000-8000-000000000000") is None

    async def test_edit_history_and_hard_delete(self, world: World) -> None:
        alice = await world.add_user("alice")
        post = make_post(alice, "first #one")
        await world.ports.posts.add(post)
        await world.commit()
        for text, minutes in (("second #two", 1), ("third #three", 2)):
            loaded = await world.ports.posts.get(post.id)
            assert loaded is not None
            loaded.edit(editor_id=alice, now=NOW + timedelta(minutes=minutes), content=text)
            await world.ports.posts.save(loaded)
            await world.commit()
        edits = await world.ports.reader.edits(post.id)
        assert [e.previous_content for e in edits] == ["second #two", "first #one"]
        view = await world.ports.reader.get(alice, post.id, staff=False)
        assert view is not None and view.content == "third #three" and view.hashtags == ["three"]
        page = await world.ports.reader.by_hashtag(alice, "one", None, PageRequest(), staff=False)
        assert page.items == []
        await world.ports.posts.delete(post.id)
        await world.commit()
        assert await world.ports.posts.get(post.id) is None
        assert await world.ports.reader.edits(post.id) == []

    async def test_likes_are_idempotent_and_counted(self, world: World) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        carol = await world.add_user("carol")
        post = make_post(alice)
        await world.ports.posts.add(post)
        assert await world.ports.likes.like_post(post.id, bob, NOW) is True
        assert await world.ports.likes.like_post(post.id, bob, NOW) is False
        assert await world.ports.likes.like_post(post.id, carol, NOW) is True
        await world.commit()
        view = await world.ports.reader.get(bob, post.id, staff=False)
        assert view is not None and view.like_count == 2 and view.liked_by_me
        assert await world.ports.likes.unlike_post(post.id, bob) is True
        assert await world.ports.likes.unlike_post(post.id, bob) is False
        await world.commit()
        view = await world.ports.reader.get(bob, post.id, staff=False)
        assert view is not None and view.like_count == 1 and not view.liked_by_me

    async def test_comments_count_likes_and_removal(self, world: World) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        post = make_post(alice)
        await world.ports.posts.add(post)
        comment = Comment.write(post=post, author_id=bob, content="nice", mentions=(), now=NOW)
        second = Comment.write(
            post=post, author_id=alice, content="thanks", mentions=(), now=NOW + timedelta(1)
        )
        await world.ports.comments.add(comment)
        await world.ports.comments.add(second)
        assert await world.ports.likes.like_comment(comment.id, alice, NOW) is True
        assert await world.ports.likes.like_comment(comment.id, alice, NOW) is False
        await world.commit()
        view = await world.ports.reader.get(alice, post.id, staff=False)
        assert view is not None and view.comment_count == 2
        page = await world.ports.comment_reader.for_post(
            alice, post.id, PageRequest(limit=1), staff=False
        )
        assert [c.content for c in page.items] == ["nice"]
        assert page.items[0].like_count == 1 and page.items[0].liked_by_me
        rest = await world.ports.comment_reader.for_post(
            alice,
            post.id,
            PageRequest(limit=1, cursor=decode_cursor(page.next_cursor or "")),
            staff=False,
        )
        assert [c.content for c in rest.items] == ["thanks"] and rest.next_cursor is None
        loaded = await world.ports.comments.get(comment.id)
        assert loaded is not None and loaded.like_count == 1
        loaded.remove_by_moderation(NOW, RemovalReason.REPORT)
        await world.ports.comments.save(loaded)
        await world.commit()
        member = await world.ports.comment_reader.get(alice, comment.id, staff=False)
        staff = await world.ports.comment_reader.get(alice, comment.id, staff=True)
        assert member is not None and member.removed and member.content == ""
        assert member.original_content is None
        assert staff is not None and staff.original_content == "nice"
        await world.ports.comments.delete(second)
        await world.commit()
        view = await world.ports.reader.get(alice, post.id, staff=False)
        assert view is not None and view.comment_count == 1

    async def test_removed_post_is_a_placeholder_except_for_staff(self, world: World) -> None:
        alice = await world.add_user("alice")
        post = make_post(alice, "bad words")
        await world.ports.posts.add(post)
        loaded = await world.ports.posts.get(post.id)
        assert loaded is not None
        loaded.remove_by_moderation(NOW, RemovalReason.REPORT)
        await world.ports.posts.save(loaded)
        await world.commit()
        member = await world.ports.reader.get(None, post.id, staff=False)
        staff = await world.ports.reader.get(None, post.id, staff=True)
        assert member is not None and member.removed and member.content == ""
        assert member.removed_reason == "report" and member.original_content is None
        assert staff is not None and staff.original_content == "bad words"

    async def test_blocks_and_hidden_authors_are_invisible(self, world: World) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        carol = await world.add_user("carol")
        gone = await world.add_user("gone")
        await world.follow(bob, alice)
        await world.follow(bob, gone)
        post = make_post(alice, "hi #x")
        gone_post = make_post(gone, "bye #x")
        await world.ports.posts.add(post)
        await world.ports.posts.add(gone_post)
        await world.commit()
        await world.block(alice, bob)
        await world.set_state(gone, "deactivated")
        assert await world.ports.reader.get(bob, post.id, staff=False) is None
        assert await world.ports.reader.get(carol, post.id, staff=False) is not None
        assert await world.ports.reader.get(carol, gone_post.id, staff=False) is None
        assert await world.ports.audience.can_see(bob, alice) is False
        assert await world.ports.audience.can_see(alice, bob) is False
        assert await world.ports.audience.can_see(carol, alice) is True
        assert await world.ports.audience.can_see(None, gone) is False
        assert await world.ports.audience.is_blocking(alice, bob) is True
        assert await world.ports.audience.is_blocking(bob, alice) is False
        assert await world.ports.audience.is_blocking(carol, alice) is False
        assert await world.ports.reader.get_many(bob, [post.id], staff=False) == []
        shown = await world.ports.reader.get_many(carol, [gone_post.id, post.id], staff=False)
        assert [p.id for p in shown] == [post.id]  # a hidden account's posts are not shown
        tagged = await world.ports.reader.by_hashtag(bob, "x", None, PageRequest(), staff=False)
        assert tagged.items == []
        tagged = await world.ports.reader.by_hashtag(carol, "x", None, PageRequest(), staff=False)
        assert [p.id for p in tagged.items] == [post.id]
        assert await world.ports.audience.resolve_handles(["alice", "gone", "nobody"]) == {
            "alice": alice
        }

    async def test_a_held_post_is_seen_by_its_author_only(self, world: World) -> None:
        author = await world.add_user("author", native="en")
        follower = await world.add_user("follower", native="ko", targets=("en",))
        await world.follow(follower, author)
        held = make_post(author, "waiting #heldtag")
        held.held = True
        shown = make_post(author, "released #heldtag", minutes_ago=1)
        await world.ports.posts.add(held)
        await world.ports.posts.add(shown)
        await world.commit()
        assert (await world.ports.posts.get(held.id)).held is True
        history = await world.ports.audience.author_history(author, 5)
        assert history.items_written == 2 and history.joined_at is not None
        assert (await world.ports.audience.author_history(author, 1)).items_written == 1
        assert (await world.ports.audience.author_history(follower, 5)).items_written == 0
        page = PageRequest(limit=100)
        for viewer in (follower, None):
            assert await world.ports.reader.get(viewer, held.id, staff=False) is None
            tagged = await world.ports.reader.by_hashtag(viewer, "heldtag", None, page, staff=False)
            assert [p.id for p in tagged.items] == [shown.id]
            profile = await world.ports.reader.by_author(viewer, author, None, page, staff=False)
            assert [p.id for p in profile.items] == [shown.id]
        assert await world.ports.reader.get(follower, held.id, staff=True) is None
        assert [
            p.id
            for p in await world.ports.reader.get_many(follower, [held.id, shown.id], staff=False)
        ] == [shown.id]
        following = await world.ports.reader.following(follower, None, page, staff=False)
        assert [p.id for p in following.items] == [shown.id]
        candidates = await world.ports.candidates.gather(follower, NOW, None, 500)
        assert [c.post_id for c in candidates] == [shown.id]
        usage = await world.ports.trending.hashtag_usage(NOW - timedelta(hours=24))
        assert [(u.tag, u.post_count) for u in usage] == [("heldtag", 1)]
        waiting = await world.ports.posts.held_before(NOW + timedelta(seconds=1), 10)
        assert [p.id for p in waiting] == [held.id]
        assert await world.ports.posts.held_before(NOW - timedelta(seconds=1), 10) == []
        own = await world.ports.reader.get(author, held.id, staff=False)
        assert own is not None and own.moderation == "held"
        mine = await world.ports.reader.by_author(author, author, None, page, staff=False)
        assert [p.id for p in mine.items] == [held.id, shown.id]
        held.release()
        await world.ports.posts.save(held)
        await world.commit()
        again = await world.ports.reader.get(follower, held.id, staff=False)
        assert again is not None and again.moderation == "visible"

    async def test_a_held_comment_is_seen_by_its_author_only_and_counted_on_release(
        self, world: World
    ) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        post = make_post(alice, "hello")
        await world.ports.posts.add(post)
        held = Comment.write(post=post, author_id=bob, content="waiting", mentions=(), now=NOW)
        held.held = True
        gone = Comment.write(post=post, author_id=bob, content="deleted", mentions=(), now=NOW)
        gone.held = True
        await world.ports.comments.add(held)
        await world.ports.comments.add(gone)
        await world.commit()
        assert (await world.ports.audience.author_history(bob, 5, comments=True)).items_written == 2
        assert (await world.ports.audience.author_history(bob, 5)).items_written == 0
        loaded = await world.ports.comments.get(held.id)
        assert loaded is not None and loaded.held is True
        page = PageRequest(limit=10)
        for viewer in (alice, None):
            assert await world.ports.comment_reader.get(viewer, held.id, staff=False) is None
            listed = await world.ports.comment_reader.for_post(viewer, post.id, page, staff=False)
            assert listed.items == []
        own = await world.ports.comment_reader.for_post(bob, post.id, page, staff=False)
        assert [(c.id, c.moderation) for c in own.items] == [(held.id, "held"), (gone.id, "held")]
        waiting = await world.ports.comments.held_before(NOW + timedelta(seconds=1), 10)
        assert sorted(c.id for c in waiting) == sorted([held.id, gone.id])
        assert await world.ports.comments.held_before(NOW - timedelta(seconds=1), 10) == []
        await world.ports.comments.delete(gone)  # never counted: the count stays at 0
        await world.commit()
        view = await world.ports.reader.get(alice, post.id, staff=False)
        assert view is not None and view.comment_count == 0
        loaded.release()
        await world.ports.comments.save(loaded)
        await world.ports.comments.save(loaded)  # saved twice: counted once
        await world.commit()
        view = await world.ports.reader.get(alice, post.id, staff=False)
        assert view is not None and view.comment_count == 1
        shown = await world.ports.comment_reader.get(alice, held.id, staff=False)
        assert shown is not None and shown.moderation == "visible"
        assert await world.ports.comments.held_before(NOW + timedelta(seconds=1), 10) == []

    async def test_following_is_newest_first_paginated_and_filtered(self, world: World) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        stranger = await world.add_user("stranger")
        await world.follow(bob, alice)
        made = []
        for i in range(5):
            p = make_post(alice, f"post {i}", language="ko" if i % 2 else "en", minutes_ago=10 - i)
            made.append(p)
            await world.ports.posts.add(p)
        await world.ports.posts.add(make_post(stranger, "not followed"))
        await world.commit()
        seen: list[str] = []
        cursor = None
        while True:
            page = await world.ports.reader.following(
                bob,
                None,
                PageRequest(limit=2, cursor=decode_cursor(cursor) if cursor else None),
                staff=False,
            )
            seen.extend(p.id for p in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [p.id for p in reversed(made)]
        korean = await world.ports.reader.following(bob, "ko", PageRequest(), staff=False)
        assert [p.language for p in korean.items] == ["ko", "ko"]
        mine = await world.ports.reader.by_author(
            bob, alice, None, PageRequest(limit=100), staff=False
        )
        assert len(mine.items) == 5

    async def test_candidates_sources_exclusions_and_signals(self, world: World) -> None:
        me = await world.add_user("me", native="ko", targets=("en",))
        friend = await world.add_user("friend", native="ja")
        native_en = await world.add_user("native", native="en")
        learner = await world.add_user("learner", native="es", targets=("ko",))
        nobody = await world.add_user("nobody", native="fr")
        blocker = await world.add_user("blocker", native="en")
        await world.follow(me, friend)
        posts = {
            "friend": make_post(friend, "from a friend", language="ja", media=("https://a.b/c",)),
            "native": make_post(native_en, "native english", language="en", minutes_ago=60),
            "learner": make_post(learner, "hola coreano", language="es"),
            "nobody": make_post(nobody, "bonjour", language="fr"),
            "mine": make_post(me, "my own", language="en"),
            "blocked": make_post(blocker, "blocked english", language="en"),
            "old": make_post(native_en, "old english", language="en", minutes_ago=60 * 24 * 30),
            "removed": make_post(native_en, "removed english", language="en"),
            "seen": make_post(native_en, "seen english", language="en"),
        }
        for p in posts.values():
            await world.ports.posts.add(p)
        removed = await world.ports.posts.get(posts["removed"].id)
        assert removed is not None
        removed.remove_by_moderation(NOW, RemovalReason.REPORT)
        await world.ports.posts.save(removed)
        await world.ports.log.record_impressions(
            [Impression(me, posts["seen"].id, native_en, "s", 0, 1.0, "h", NOW)]
        )
        await world.ports.log.record_engagement(Engagement(me, "p", friend, "like", NOW))
        await world.ports.log.record_engagement(Engagement(me, "p", friend, "comment", NOW))
        await world.ports.likes.like_post(posts["native"].id, friend, NOW)
        await world.commit()
        await world.block(me, blocker)
        found = await world.ports.candidates.gather(me, NOW, None, 500)
        by_id = {c.post_id: c for c in found}
        names = {name for name, p in posts.items() if p.id in by_id}
        assert names == {"friend", "native", "learner"}
        f = by_id[posts["friend"].id]
        assert f.is_followed_author and f.has_media and f.affinity == 3.0
        assert f.author_follower_count == 1 and f.post_language == "ja"
        assert f.viewer_native_language == "ko" and f.viewer_target_languages == ("en",)
        n = by_id[posts["native"].id]
        assert n.like_count == 1 and n.affinity == 0 and not n.is_followed_author
        assert n.author_is_native_of_viewer_target and n.author_posts_last_7d == 3
        assert abs(n.age_hours - 1.0) < 1e-6 and n.content_length == len("native english")
        assert by_id[posts["learner"].id].author_learns_viewer_native
        only_es = await world.ports.candidates.gather(me, NOW, "es", 500)
        assert [c.post_id for c in only_es] == [posts["learner"].id]

    async def test_trending_usage_and_current(self, world: World) -> None:
        alice = await world.add_user("alice")
        for i in range(3):
            await world.ports.posts.add(make_post(alice, f"#hot #cold{i}", minutes_ago=30 * i))
        await world.ports.posts.add(make_post(alice, "#hot old", minutes_ago=60 * 30))
        await world.commit()
        usage = {
            u.tag: u for u in await world.ports.trending.hashtag_usage(NOW - timedelta(hours=24))
        }
        assert usage["hot"].post_count == 3
        assert usage["hot"].first_used_at == NOW - timedelta(minutes=60)
        assert usage["cold0"].post_count == 1
        top = [TrendingHashtag("hot", 3, 0.5), TrendingHashtag("warm", 4, 0.25)]
        await world.ports.trending.replace(top, NOW)
        await world.commit()
        assert await world.ports.trending.current() == top
        await world.ports.trending.replace([], NOW)
        await world.commit()
        assert await world.ports.trending.current() == []


class TestMemoryFeedStore(FeedStoreContract):
    @pytest.fixture
    async def world(self) -> AsyncIterator[World]:
        yield MemoryWorld()


class TestSqliteFeedStore(FeedStoreContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for w in sql_world(sqlite_url):
            yield w


@pytest.mark.integration
class TestPostgresFeedStore(FeedStoreContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for w in sql_world(postgres_url):
            yield w


class TestSqliteFeedStoreWithCards(FeedStoreContract):
    """The same reads rendered from a live author-card cache (no users join)."""

    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for w in sql_world(sqlite_url, cards=True):
            yield w


@pytest.mark.integration
class TestPostgresFeedStoreWithCards(FeedStoreContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for w in sql_world(postgres_url, cards=True):
            yield w
