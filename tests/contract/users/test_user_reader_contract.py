"""UserReader contract (profiles, lists with cursors, partners): memory, SQLite, Postgres."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest
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

    async def test_partners_score_and_pagination(self, world: UsersWorld) -> None:
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
        expected = [en_close.id, en_stale.id, en_far.id, ja.id]
        full = await world.reader.partners(me.id, PageRequest(limit=10), NOW)
        assert [v.id for v in full.items] == expected
        seen, cursor = [], None
        while True:
            page = await world.reader.partners(me.id, PageRequest(limit=1, cursor=cursor), NOW)
            seen += [v.id for v in page.items]
            if page.next_cursor is None:
                break
            cursor = PageRequest.of(1, page.next_cursor).cursor
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
