"""UserReader contract (profiles, lists with cursors, partner candidates): memory, SQLite,
Postgres."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hypehere.adapters.memory.clock import FixedClock
from hypehere.application.common.actor import Actor
from hypehere.application.users.suggest_partners import SuggestPartners, SuggestPartnersCommand
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest
from hypehere.domain.users.model import TargetLanguage
from hypehere.domain.users.partners import PartnerSeeker
from tests.contract.users.base import OnMemory, OnPostgres, OnSqlite
from tests.contract.users.world import NOW, UsersWorld

pytestmark = pytest.mark.integration


class UserReaderContract:
    async def test_profile_flags(self, world: UsersWorld) -> None:
        a = await world.add_user("alice", targets=(("en", "B1"), ("ja", "A2")))
        b = await world.add_user("bob")
        await world.graph.follow(a.id, b.id, NOW)
        await world.graph.block(b.id, a.id, NOW)
        await world.commit()
        view = await world.reader.profile(b.id, a.id)
        assert view.follower_count == 1
        assert (view.is_following, view.is_followed_by, view.is_blocking, view.is_blocked_by) == (
            True,
            False,
            False,
            True,
        )
        anon = await world.reader.profile(a.id, None)
        assert anon.is_following is None and anon.is_blocked_by is None
        assert [(t.language, t.level) for t in anon.target_languages] == [
            ("en", "B1"),
            ("ja", "A2"),
        ]
        assert anon.created_at == NOW
        assert await world.reader.profile("missing", None) is None
        rel = await world.reader.relationship(a.id, b.id)
        assert rel.is_following and rel.is_blocked_by and not rel.is_blocking

    async def test_followers_pages_newest_first_and_hide_blocked_and_hidden(
        self, world: UsersWorld
    ) -> None:
        star = await world.add_user("star")
        fans = [await world.add_user(f"fan{i}") for i in range(5)]
        for i, fan in enumerate(fans):
            await world.graph.follow(fan.id, star.id, NOW + timedelta(minutes=i))
        await world.commit()
        seen, cursor = [], None
        while True:
            page = await world.reader.followers(star.id, None, PageRequest(limit=2, cursor=cursor))
            seen += [v.id for v in page.items]
            if page.next_cursor is None:
                break
            cursor = PageRequest.of(2, page.next_cursor).cursor
        assert seen == [f.id for f in reversed(fans)]
        # hidden states and blocks with the viewer drop out
        fans[4].deactivate(NOW)
        await world.users.save(fans[4])
        viewer = await world.add_user("viewer")
        await world.graph.block(fans[3].id, viewer.id, NOW)
        await world.commit()
        page = await world.reader.followers(star.id, viewer.id, PageRequest(limit=10))
        assert [v.id for v in page.items] == [f.id for f in reversed(fans[:3])]
        following = await world.reader.following(fans[0].id, None, PageRequest(limit=10))
        assert [v.id for v in following.items] == [star.id]

    async def test_blocked_by_list(self, world: UsersWorld) -> None:
        me = await world.add_user("me")
        x = await world.add_user("xavier")
        y = await world.add_user("yuna")
        await world.graph.block(me.id, x.id, NOW)
        await world.graph.block(me.id, y.id, NOW + timedelta(seconds=1))
        await world.commit()
        page = await world.reader.blocked_by(me.id, PageRequest(limit=10))
        assert [v.id for v in page.items] == [y.id, x.id]
        assert all(v.is_blocking for v in page.items)

    async def test_bad_cursor(self, world: UsersWorld) -> None:
        star = await world.add_user("star")
        with pytest.raises(InvalidCursorError):
            await world.reader.followers(star.id, None, PageRequest(limit=2, cursor=(1, 2)))

    async def test_partner_candidates_selection(self, world: UsersWorld) -> None:
        me = await world.add_user("me", native="ko", targets=(("en", "B1"), ("ja", "A1")))
        recent = await world.add_user("recent", native="en", targets=(("es", "A2"), ("ko", "C1")))
        older = await world.add_user(
            "older", native="ja", targets=(("ko", "A1"),), active_days_ago=3
        )
        never = await world.add_user(
            "never", native="en", targets=(("ko", "B2"),), active_days_ago=None
        )
        follows_me = await world.add_user(
            "fan", native="en", targets=(("ko", "A2"),), active_days_ago=1
        )
        await world.add_user("nokorean", native="en", targets=(("es", "A1"),))
        await world.add_user("korean", native="ko", targets=(("en", "B1"),))
        await world.add_user("spanish", native="es", targets=(("ko", "B1"),))
        followed = await world.add_user("followed", native="en", targets=(("ko", "B1"),))
        blocker = await world.add_user("blocker", native="en", targets=(("ko", "B1"),))
        blocked = await world.add_user("blocked", native="en", targets=(("ko", "B1"),))
        hidden = await world.add_user("hidden", native="en", targets=(("ko", "B1"),))
        suspended = await world.add_user("suspended", native="en", targets=(("ko", "B1"),))
        hidden.deactivate(NOW)
        suspended.suspend(NOW + timedelta(days=1), None, NOW)
        await world.users.save(hidden)
        await world.users.save(suspended)
        await world.graph.follow(me.id, followed.id, NOW)
        await world.graph.follow(follows_me.id, me.id, NOW)
        await world.graph.block(blocker.id, me.id, NOW)
        await world.graph.block(me.id, blocked.id, NOW)
        await world.commit()
        seeker = PartnerSeeker(
            user_id=me.id,
            native_language="ko",
            target_languages=(
                TargetLanguage("en", CefrLevel.B1),
                TargetLanguage("ja", CefrLevel.A1),
            ),
        )
        candidates = await world.reader.partner_candidates(seeker, 10)
        # the most recently active first, never active last; levels in my native language
        assert [(c.user_id, c.native_language, c.learning_level) for c in candidates] == [
            (recent.id, "en", CefrLevel.C1),
            (follows_me.id, "en", CefrLevel.A2),
            (older.id, "ja", CefrLevel.A1),
            (never.id, "en", CefrLevel.B2),
        ]
        assert [c.last_active_at for c in candidates] == [
            NOW,
            NOW - timedelta(days=1),
            NOW - timedelta(days=3),
            None,
        ]
        assert [c.user_id for c in await world.reader.partner_candidates(seeker, 2)] == [
            recent.id,
            follows_me.id,
        ]
        no_targets = PartnerSeeker(user_id=me.id, native_language="ko", target_languages=())
        assert await world.reader.partner_candidates(no_targets, 10) == []

    async def test_partner_candidates_tie_on_activity_by_id(self, world: UsersWorld) -> None:
        me = await world.add_user("me", native="ko", targets=(("en", "B1"),))
        same = [
            await world.add_user(f"same{i}", native="en", targets=(("ko", "B1"),)) for i in range(3)
        ]
        await world.commit()
        seeker = PartnerSeeker(me.id, "ko", (TargetLanguage("en", CefrLevel.B1),))
        candidates = await world.reader.partner_candidates(seeker, 10)
        assert [c.user_id for c in candidates] == sorted((u.id for u in same), reverse=True)

    async def test_profiles_carry_viewer_flags_in_order(self, world: UsersWorld) -> None:
        me = await world.add_user("me")
        a = await world.add_user("alice")
        b = await world.add_user("bob")
        await world.graph.follow(a.id, me.id, NOW)
        await world.commit()
        views = await world.reader.profiles([b.id, "missing", a.id], me.id)
        assert [v.id for v in views] == [b.id, a.id]
        assert [(v.is_following, v.is_followed_by, v.is_blocking) for v in views] == [
            (False, False, False),
            (False, True, False),
        ]
        assert await world.reader.profiles([], me.id) == []

    async def test_partners_score_and_pagination(self, world: UsersWorld) -> None:
        """The whole listing (selection here, ranking in the domain) over each adapter."""
        me = await world.add_user("me", native="ko", targets=(("en", "B1"), ("ja", "A1")))
        en_close = await world.add_user("enclose", native="en", targets=(("ko", "B1"),))
        en_stale = await world.add_user(
            "enstale", native="en", targets=(("ko", "B1"),), active_days_ago=60
        )
        en_far = await world.add_user("enfar", native="en", targets=(("ko", "C2"),))
        ja = await world.add_user("japan", native="ja", targets=(("ko", "A1"),))
        await world.add_user("nokorean", native="en", targets=(("es", "A1"),))
        followed = await world.add_user("followed", native="en", targets=(("ko", "B1"),))
        blocked = await world.add_user("blocked", native="en", targets=(("ko", "B1"),))
        await world.graph.follow(me.id, followed.id, NOW)
        await world.graph.block(blocked.id, me.id, NOW)
        await world.commit()
        suggest = SuggestPartners(world.reader, FixedClock(NOW))
        actor = Actor(user_id=me.id)
        expected = [en_close.id, en_stale.id, en_far.id, ja.id]
        full = await suggest.execute(SuggestPartnersCommand(actor, limit=10))
        assert [v.id for v in full.items] == expected
        assert full.next_cursor is None
        assert all(v.is_following is False for v in full.items)
        seen, cursor = [], None
        while True:
            page = await suggest.execute(SuggestPartnersCommand(actor, 1, cursor))
            seen += [v.id for v in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == expected

    async def test_summaries(self, world: UsersWorld) -> None:
        a = await world.add_user("alice")
        b = await world.add_user("bob")
        views = await world.reader.summaries([b.id, "missing", a.id])
        assert [v.handle for v in views] == ["bob", "alice"]


class TestMemory(OnMemory, UserReaderContract):
    pass


class TestSqlite(OnSqlite, UserReaderContract):
    pass


class TestPostgres(OnPostgres, UserReaderContract):
    pass
