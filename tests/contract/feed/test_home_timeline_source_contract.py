"""Contract of `HomeTimelineSource` (what home timelines read from SQL: a post's entry, an
author's followers, a cold timeline's rebuild, the render of a page of ids and the
followed celebrities' posts), run against SQLite and PostgreSQL on one small hand-built
scene. Its only implementation is `SqlHomeTimelineSource`; the API tests exercise it only
through `GET /feed/following`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import delete, update

from hypehere.adapters.sql.feed.home_timeline import SqlHomeTimelineSource
from hypehere.adapters.sql.users.tables import FollowRow, UserRow
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.application.feed.ports import TimelineEntry
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.model import DetectedLanguage, Post, RemovalReason
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import PageRequest
from tests.contract.feed.world import EPOCH, SqlWorld, sql_world

NOW = EPOCH + timedelta(days=30)
MISSING = "00000000-0000-7000-8000-000000000000"


def _post(author: str, content: str, *, minutes_ago: float, language: str = "en") -> Post:
    return Post.write(
        author_id=author,
        content=content,
        language=language,
        detection=DetectedLanguage(language, 0.9, ()),
        target_language=None,
        mentions=(),
        media_urls=(),
        now=NOW - timedelta(minutes=minutes_ago),
    )


@dataclass
class Scene:
    """`viewer` follows alice, bob, carol (banned since), dave (the viewer blocks him),
    erin (she blocks the viewer); gina was followed and unfollowed; frank is not followed
    (he follows alice); bob follows the viewer. Posts, newest first:

    | post      | author | at (min ago) | language | state                              |
    |-----------|--------|-------------:|----------|------------------------------------|
    | own       | viewer |         0.25 | en       |                                    |
    | frank     | frank  |          0.5 | en       |                                    |
    | a_new     | alice  |            1 | en       |                                    |
    | tie_hi    | bob    |            2 | en       | tie_lo's created_at, larger id     |
    | tie_lo    | alice  |            2 | ko       |                                    |
    | removed   | alice  |            3 | en       | removed by moderation              |
    | held      | alice  |            4 | en       | moderation_state 'held'            |
    | deleted   | alice  |            5 | en       | hard-deleted                       |
    | carol     | carol  |            6 | en       | author banned                      |
    | dave      | dave   |            7 | en       | viewer blocks author               |
    | erin      | erin   |            8 | en       | author blocks viewer               |
    | gina      | gina   |            9 | en       | author unfollowed                  |
    | b_old     | bob    |           10 | ko       |                                    |
    """

    viewer: str
    alice: str
    bob: str
    carol: str
    dave: str
    erin: str
    frank: str
    gina: str
    posts: dict[str, Post]

    def id(self, name: str) -> str:
        return self.posts[name].id

    def ids(self, *names: str) -> list[str]:
        return [self.posts[name].id for name in names]

    def entry(self, name: str) -> TimelineEntry:
        post = self.posts[name]
        return TimelineEntry(post.id, post.created_at)


# What the viewer's following feed shows of the scene, newest first.
SHOWN = ["a_new", "tie_hi", "tie_lo", "removed", "b_old"]


async def _unfollow(world: SqlWorld, follower: str, followee: str) -> None:
    follows = FollowRow.__table__  # type: ignore[attr-defined]
    users = UserRow.__table__  # type: ignore[attr-defined]
    await world.session.execute(
        delete(follows).where(follows.c.follower_id == follower, follows.c.followee_id == followee)
    )
    await world.session.execute(
        update(users)
        .where(users.c.id == followee)
        .values(follower_count=users.c.follower_count - 1)
    )
    await world.session.commit()


def _ids(views: list[PostView]) -> list[str]:
    return [view.id for view in views]


class HomeTimelineSourceContract:
    @pytest.fixture
    async def world(self) -> AsyncIterator[SqlWorld]:
        raise NotImplementedError
        yield

    @pytest.fixture(params=["joined", "cached"])
    def cards(self, request: pytest.FixtureRequest) -> AuthorCardCache | None:
        """Without a card cache a page joins its authors' rows; with a live one it reads
        the cards from it (and the misses from `users`)."""
        if request.param == "joined":
            return None
        cache = AuthorCardCache(100, 60.0)
        cache.enable()
        return cache

    @pytest.fixture
    def source(self, world: SqlWorld, cards: AuthorCardCache | None) -> SqlHomeTimelineSource:
        return SqlHomeTimelineSource(world.session, cards)

    @pytest.fixture
    async def scene(self, world: SqlWorld) -> Scene:
        viewer = await world.add_user("viewer")
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        carol = await world.add_user("carol")
        dave = await world.add_user("dave")
        erin = await world.add_user("erin")
        frank = await world.add_user("frank")
        gina = await world.add_user("gina")
        for followee in (alice, bob, carol, dave, erin, gina):
            await world.follow(viewer, followee)
        await world.follow(frank, alice)
        await world.follow(bob, viewer)
        posts = {
            "own": _post(viewer, "my own", minutes_ago=0.25),
            "frank": _post(frank, "not followed", minutes_ago=0.5),
            "a_new": _post(alice, "alice newest", minutes_ago=1),
            "tie_hi": _post(bob, "bob at the same time", minutes_ago=2),
            "tie_lo": _post(alice, "안녕하세요", minutes_ago=2, language="ko"),
            "removed": _post(alice, "bad words", minutes_ago=3),
            "held": _post(alice, "waiting for a verdict", minutes_ago=4),
            "deleted": _post(alice, "deleted soon", minutes_ago=5),
            "carol": _post(carol, "carol is banned", minutes_ago=6),
            "dave": _post(dave, "dave is blocked", minutes_ago=7),
            "erin": _post(erin, "erin blocks", minutes_ago=8),
            "gina": _post(gina, "gina unfollowed", minutes_ago=9),
            "b_old": _post(bob, "옛날", minutes_ago=10, language="ko"),
        }
        # The tie on created_at is decided by the id: the larger id comes first although
        # its row is stored first, so neither insertion order nor time alone gives it.
        low, high = sorted([new_id(), new_id()])
        posts["tie_lo"].id, posts["tie_hi"].id = low, high
        posts["held"].held = True
        ordered = ["tie_hi"] + [name for name in posts if name != "tie_hi"]
        for name in ordered:
            await world.ports.posts.add(posts[name])
        await world.commit()
        removed = await world.ports.posts.get(posts["removed"].id)
        assert removed is not None
        removed.remove_by_moderation(NOW, RemovalReason.REPORT)
        await world.ports.posts.save(removed)
        await world.ports.posts.delete(posts["deleted"].id)
        await world.commit()
        await world.set_state(carol, "banned")
        await world.block(viewer, dave)
        await world.block(erin, viewer)
        await _unfollow(world, viewer, gina)
        return Scene(viewer, alice, bob, carol, dave, erin, frank, gina, posts)

    # --- entry -----------------------------------------------------------------------------

    async def test_entry_is_the_author_and_the_posts_time(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        found = await source.entry(scene.id("a_new"))
        assert found == (scene.alice, scene.entry("a_new"))
        assert found is not None and found[1].created_at.tzinfo is not None
        assert found[1].created_at.utcoffset() == timedelta(0)
        assert found[1].created_at == NOW - timedelta(minutes=1)
        assert await source.entry(scene.id("b_old")) == (scene.bob, scene.entry("b_old"))
        # held and removed posts have an entry too (fanned out, filtered when read)
        assert await source.entry(scene.id("held")) == (scene.alice, scene.entry("held"))
        assert await source.entry(scene.id("removed")) == (scene.alice, scene.entry("removed"))

    async def test_entry_of_a_missing_or_deleted_post_is_none(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        assert await source.entry(scene.id("deleted")) is None
        assert await source.entry(MISSING) is None

    # --- the follow graph ------------------------------------------------------------------

    async def test_followers_followees_and_follower_count(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        assert sorted(await source.followers(scene.alice)) == sorted([scene.viewer, scene.frank])
        assert await source.followers(scene.viewer) == [scene.bob]
        assert await source.followers(scene.gina) == []  # unfollowed
        assert await source.followers(MISSING) == []
        assert sorted(await source.followees(scene.viewer)) == sorted(
            [scene.alice, scene.bob, scene.carol, scene.dave, scene.erin]
        )
        assert await source.followees(scene.frank) == [scene.alice]
        assert await source.followees(scene.alice) == []
        assert await source.follower_count(scene.alice) == 2
        assert await source.follower_count(scene.viewer) == 1
        assert await source.follower_count(scene.gina) == 0
        assert await source.follower_count(MISSING) == 0

    async def test_fan_out_targets_are_the_followers_up_to_the_threshold(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        both = sorted([scene.viewer, scene.frank])
        at_threshold = await source.fan_out_targets(scene.alice, 2)
        assert at_threshold is not None and sorted(at_threshold) == both
        under = await source.fan_out_targets(scene.alice, 3)
        assert under is not None and sorted(under) == both
        assert await source.fan_out_targets(scene.alice, 1) is None
        assert await source.fan_out_targets(scene.viewer, 1) == [scene.bob]
        assert await source.fan_out_targets(scene.viewer, 0) is None
        assert await source.fan_out_targets(scene.frank, 0) == []  # nobody follows him

    # --- rebuild ---------------------------------------------------------------------------

    async def test_recent_followed_is_newest_first_with_ids_breaking_ties(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        # Every stored post of a followed author, whatever its state or its author's: the
        # timeline holds ids, `hydrate` applies the rules when a page is read (so a release,
        # an unblock or a reactivation shows them again, as the SQL feed would).
        everything = [
            "a_new",
            "tie_hi",
            "tie_lo",
            "removed",
            "held",
            "carol",
            "dave",
            "erin",
            "b_old",
        ]
        assert await source.recent_followed(scene.viewer, 100) == [
            scene.entry(name) for name in everything
        ]
        assert await source.recent_followed(scene.viewer, 2) == [
            scene.entry("a_new"),
            scene.entry("tie_hi"),
        ]
        assert await source.recent_followed(scene.viewer, 3) == [
            scene.entry(name) for name in ("a_new", "tie_hi", "tie_lo")
        ]
        assert await source.recent_followed(scene.frank, 100) == [
            scene.entry(name) for name in ("a_new", "tie_lo", "removed", "held")
        ]
        assert await source.recent_followed(scene.alice, 100) == []

    # --- hydrate ---------------------------------------------------------------------------

    async def test_hydrate_keeps_the_given_order_and_drops_what_the_feed_hides(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        given = [
            "b_old",
            "held",
            "tie_lo",
            "carol",
            "a_new",
            "dave",
            "erin",
            "removed",
            "gina",
            "frank",
            "tie_hi",
            "own",
        ]
        ids = scene.ids(*given)
        ids.insert(1, MISSING)
        ids.insert(8, scene.id("deleted"))
        views = await source.hydrate(scene.viewer, ids, None, staff=False)
        assert _ids(views) == scene.ids("b_old", "tie_lo", "a_new", "removed", "tie_hi")
        assert await source.hydrate(scene.viewer, [], None, staff=False) == []
        hidden = scene.ids("held", "deleted", "carol", "dave", "erin", "gina", "frank", "own")
        assert await source.hydrate(scene.viewer, hidden, None, staff=False) == []

    async def test_hydrate_filters_on_the_language(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        ids = scene.ids("tie_hi", "b_old", "a_new", "carol", "tie_lo", "removed")
        korean = await source.hydrate(scene.viewer, ids, "ko", staff=False)
        assert _ids(korean) == scene.ids("b_old", "tie_lo")
        english = await source.hydrate(scene.viewer, ids, "en", staff=False)
        assert _ids(english) == scene.ids("tie_hi", "a_new", "removed")
        assert await source.hydrate(scene.viewer, ids, "ja", staff=False) == []

    async def test_hydrate_renders_a_removed_post_as_a_placeholder(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        ids = scene.ids("removed", "a_new")
        member = await source.hydrate(scene.viewer, ids, None, staff=False)
        assert [(v.id, v.removed, v.content, v.original_content) for v in member] == [
            (scene.id("removed"), True, "", None),
            (scene.id("a_new"), False, "alice newest", None),
        ]
        assert member[0].removed_reason == "report"
        assert member[0].author.handle == "alice"
        staff = await source.hydrate(scene.viewer, ids, None, staff=True)
        assert [(v.id, v.removed, v.content, v.original_content) for v in staff] == [
            (scene.id("removed"), True, "bad words", "bad words"),
            (scene.id("a_new"), False, "alice newest", None),
        ]

    async def test_hydrate_shows_a_held_post_once_released(
        self, source: SqlHomeTimelineSource, world: SqlWorld, scene: Scene
    ) -> None:
        ids = scene.ids("held", "a_new")
        for viewer in (scene.viewer, scene.frank):
            assert _ids(await source.hydrate(viewer, ids, None, staff=False)) == [ids[1]]
            assert _ids(await source.hydrate(viewer, ids, None, staff=True)) == [ids[1]]
        held = await world.ports.posts.get(scene.id("held"))
        assert held is not None
        held.release()
        await world.ports.posts.save(held)
        await world.commit()
        views = await source.hydrate(scene.viewer, ids, None, staff=False)
        assert [(v.id, v.moderation) for v in views] == [
            (ids[0], "visible"),
            (ids[1], "visible"),
        ]

    async def test_hydrate_applies_follows_and_account_states_at_read_time(
        self,
        source: SqlHomeTimelineSource,
        world: SqlWorld,
        scene: Scene,
        cards: AuthorCardCache | None,
    ) -> None:
        ids = scene.ids("a_new", "frank", "gina")
        assert _ids(await source.hydrate(scene.viewer, ids, None, staff=False)) == [ids[0]]
        await world.follow(scene.viewer, scene.frank)
        await world.follow(scene.viewer, scene.gina)
        await _unfollow(world, scene.viewer, scene.alice)
        assert _ids(await source.hydrate(scene.viewer, ids, None, staff=False)) == ids[1:]
        await world.set_state(scene.carol, "active")
        carol = scene.ids("carol")
        assert _ids(await source.hydrate(scene.viewer, carol, None, staff=False)) == carol
        await world.set_state(scene.carol, "deactivated")
        if cards is not None:
            cards.invalidate(scene.carol)  # what `SessionControl` does after the commit
        assert await source.hydrate(scene.viewer, carol, None, staff=False) == []

    async def test_cards_come_from_the_cache_until_the_account_changes(
        self, world: SqlWorld, scene: Scene
    ) -> None:
        cards = AuthorCardCache(100, 60.0)
        cards.enable()
        source = SqlHomeTimelineSource(world.session, cards)
        ids = scene.ids("a_new", "tie_hi")

        async def authors() -> list[tuple[str, str, str | None]]:
            views = await source.hydrate(scene.viewer, ids, None, staff=False)
            return [(v.author.handle, v.author.nickname, v.author.avatar_url) for v in views]

        first = await authors()
        assert first == [("alice", "Alice", None), ("bob", "Bob", None)]
        assert (scene.alice in cards, scene.bob in cards) == (True, True)
        await world.set_profile(scene.alice, nickname="Alice B.", avatar_url="https://a/b.png")
        # not invalidated: the page reads no users row, the cache answers
        assert await authors() == first
        assert cards.hits >= 2
        cards.invalidate(scene.alice)  # what `SessionControl` does after the commit
        assert await authors() == [("alice", "Alice B.", "https://a/b.png"), ("bob", "Bob", None)]
        await world.set_state(scene.bob, "banned")
        cards.invalidate(scene.bob)
        assert await authors() == [("alice", "Alice B.", "https://a/b.png")]
        assert scene.bob not in cards  # a hidden author's card is never kept
        # off (a broker outage): every page joins the rows again, as without a cache
        await world.set_profile(scene.alice, nickname="Alice C.", avatar_url=None)
        cards.disable()
        assert await authors() == [("alice", "Alice C.", None)]

    async def test_a_rebuilt_timeline_hydrates_to_the_sql_following_feed(
        self, source: SqlHomeTimelineSource, world: SqlWorld, scene: Scene
    ) -> None:
        ids = [entry.post_id for entry in await source.recent_followed(scene.viewer, 100)]
        for language, expected in ((None, SHOWN), ("ko", ["tie_lo", "b_old"])):
            for staff in (False, True):
                page = await world.ports.reader.following(
                    scene.viewer, language, PageRequest(limit=50), staff=staff
                )
                assert _ids(page.items) == scene.ids(*expected)
                hydrated = await source.hydrate(scene.viewer, ids, language, staff=staff)
                assert hydrated == page.items

    # --- celebrities -----------------------------------------------------------------------

    async def test_celebrity_posts_are_the_followed_authors_posts_newest_first(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        everyone = [
            scene.frank,
            scene.alice,
            scene.carol,
            scene.bob,
            scene.dave,
            scene.erin,
            scene.gina,
            scene.viewer,
        ]
        views = await source.celebrity_posts(scene.viewer, everyone, None, None, 50, staff=False)
        assert _ids(views) == scene.ids(*SHOWN)
        bob = await source.celebrity_posts(scene.viewer, [scene.bob], None, None, 50, staff=False)
        assert _ids(bob) == scene.ids("tie_hi", "b_old")
        # frank follows alice only
        frank = await source.celebrity_posts(
            scene.frank, [scene.alice, scene.bob], None, None, 50, staff=False
        )
        assert _ids(frank) == scene.ids("a_new", "tie_lo", "removed")
        hidden = [scene.carol, scene.dave, scene.erin, scene.gina, scene.frank]
        assert await source.celebrity_posts(scene.viewer, hidden, None, None, 50, staff=False) == []
        assert await source.celebrity_posts(scene.viewer, [], None, None, 50, staff=False) == []

    async def test_celebrity_posts_page_after_the_cursor_with_ids_breaking_ties(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        authors = [scene.alice, scene.bob]

        async def after(before: TimelineEntry | None, limit: int = 50) -> list[str]:
            views = await source.celebrity_posts(
                scene.viewer, authors, None, before, limit, staff=False
            )
            return _ids(views)

        assert await after(None, 2) == scene.ids("a_new", "tie_hi")
        assert await after(scene.entry("a_new")) == scene.ids(
            "tie_hi", "tie_lo", "removed", "b_old"
        )
        # same created_at as tie_lo: the smaller id of tie_lo comes after tie_hi
        assert await after(scene.entry("tie_hi")) == scene.ids("tie_lo", "removed", "b_old")
        assert await after(scene.entry("tie_hi"), 1) == scene.ids("tie_lo")
        # and tie_hi, with the larger id, comes before tie_lo: not after it
        assert await after(scene.entry("tie_lo")) == scene.ids("removed", "b_old")
        assert await after(scene.entry("b_old")) == []
        # a cursor between stored posts (the entry of a post hidden from the viewer)
        assert await after(scene.entry("held")) == scene.ids("b_old")

    async def test_celebrity_posts_filter_on_the_language_and_render_for_staff(
        self, source: SqlHomeTimelineSource, scene: Scene
    ) -> None:
        authors = [scene.alice, scene.bob, scene.carol]
        korean = await source.celebrity_posts(scene.viewer, authors, "ko", None, 50, staff=False)
        assert _ids(korean) == scene.ids("tie_lo", "b_old")
        later = await source.celebrity_posts(
            scene.viewer, authors, "ko", scene.entry("tie_hi"), 50, staff=False
        )
        assert _ids(later) == scene.ids("tie_lo", "b_old")
        last = await source.celebrity_posts(
            scene.viewer, authors, "ko", scene.entry("tie_lo"), 50, staff=False
        )
        assert _ids(last) == scene.ids("b_old")
        english = await source.celebrity_posts(scene.viewer, authors, "en", None, 2, staff=False)
        assert _ids(english) == scene.ids("a_new", "tie_hi")
        member = await source.celebrity_posts(
            scene.viewer, authors, None, scene.entry("tie_lo"), 1, staff=False
        )
        staff = await source.celebrity_posts(
            scene.viewer, authors, None, scene.entry("tie_lo"), 1, staff=True
        )
        assert [(v.id, v.removed, v.content, v.original_content) for v in member] == [
            (scene.id("removed"), True, "", None)
        ]
        assert [(v.id, v.removed, v.content, v.original_content) for v in staff] == [
            (scene.id("removed"), True, "bad words", "bad words")
        ]

    async def test_celebrity_posts_match_the_sql_following_feed(
        self, source: SqlHomeTimelineSource, world: SqlWorld, scene: Scene
    ) -> None:
        followees = await source.followees(scene.viewer)
        for language in (None, "en", "ko"):
            for staff in (False, True):
                page = await world.ports.reader.following(
                    scene.viewer, language, PageRequest(limit=50), staff=staff
                )
                merged = await source.celebrity_posts(
                    scene.viewer, followees, language, None, 50, staff=staff
                )
                assert merged == page.items


class TestSqliteHomeTimelineSource(HomeTimelineSourceContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[SqlWorld]:
        async for w in sql_world(sqlite_url):
            yield w


@pytest.mark.integration
class TestPostgresHomeTimelineSource(HomeTimelineSourceContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[SqlWorld]:
        async for w in sql_world(postgres_url):
            yield w
