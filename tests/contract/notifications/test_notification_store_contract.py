"""One contract for the notifications ports (repository, reader, settings, audience, user
directory), run against the in-memory fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.notifications import (
    InMemoryAudience,
    InMemoryNotificationSettings,
    InMemoryNotificationStore,
    InMemoryUserDirectory,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.notifications.readers import (
    SqlNotificationAudience,
    SqlNotificationReader,
    SqlUserDirectory,
)
from hypehere.adapters.sql.notifications.repositories import (
    SqlNotificationRepository,
    SqlNotificationSettings,
)
from hypehere.adapters.sql.users.tables import BlockRow, FollowRow, UserRow
from hypehere.application.common.views import UserCard
from hypehere.domain.notifications.model import (
    Channel,
    Notification,
    NotificationKind,
    Target,
    TargetType,
)
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest, decode_cursor
from tests.conftest import truncate_all

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
USERS = ("alice", "bob", "carol", "dave", "erin")


class Harness:
    repo: Any
    reader: Any
    settings: Any
    audience: Any
    directory: Any
    ids: dict[str, str]

    follow: Callable[[str, str], Awaitable[None]]
    block: Callable[[str, str], Awaitable[None]]
    set_state: Callable[[str, str], Awaitable[None]]


def note(
    h: Harness,
    recipient: str,
    *,
    kind: NotificationKind = NotificationKind.LIKE,
    actor: str = "bob",
    target: str = "p1",
    at: datetime = T0,
    dedup: str | None = None,
) -> Notification:
    return Notification.new(
        id=new_id(),
        recipient_id=h.ids[recipient],
        kind=kind,
        target=Target(TargetType.POST, target),
        actor_id=h.ids[actor],
        dedup_key=dedup or f"{kind.value}:{new_id()}",
        now=at,
    )


class NotificationStoreContract:
    @pytest.fixture
    async def h(self) -> AsyncIterator[Harness]:
        raise NotImplementedError
        yield

    async def test_add_list_and_actor_summaries(self, h: Harness) -> None:
        first = note(h, "alice", at=T0)
        second = note(
            h, "alice", kind=NotificationKind.FOLLOW, actor="carol", at=T0 + timedelta(seconds=1)
        )
        await h.repo.add(first)
        await h.repo.add_many([second, note(h, "bob", actor="alice")])
        page = await h.reader.list_for(h.ids["alice"], unread_only=False, page=PageRequest())
        assert [v.id for v in page.items] == [second.id, first.id]
        view = page.items[1]
        assert (view.kind, view.actor_count, view.read) == ("like", 1, False)
        assert view.actors == [
            UserCard(id=h.ids["bob"], handle="bob", nickname="Bob", avatar_url=None)
        ]
        assert (view.target.type, view.target.id, view.target.parent_id) == ("post", "p1", None)
        assert view.created_at == T0 and view.updated_at == T0
        assert page.next_cursor is None

    async def test_cursor_pages_without_gaps_or_duplicates(self, h: Harness) -> None:
        made = [note(h, "alice", at=T0 + timedelta(seconds=i // 2)) for i in range(7)]
        await h.repo.add_many(made)
        seen: list[str] = []
        cursor = None
        while True:
            page = await h.reader.list_for(
                h.ids["alice"], unread_only=False, page=PageRequest(limit=3, cursor=cursor)
            )
            seen += [v.id for v in page.items]
            if page.next_cursor is None:
                break
            cursor = decode_cursor(page.next_cursor)
        expected = sorted(made, key=lambda n: (n.updated_at, n.id), reverse=True)
        assert seen == [n.id for n in expected]

    @pytest.mark.parametrize("cursor", [("yesterday", "x"), (1, "x"), ("2026-03-01T12:00:00", "z")])
    async def test_odd_cursors(self, h: Harness, cursor: tuple[object, ...]) -> None:
        await h.repo.add(note(h, "alice", at=T0 - timedelta(seconds=1)))
        if cursor[0] in ("yesterday", 1):
            with pytest.raises(InvalidCursorError):
                await h.reader.list_for(
                    h.ids["alice"], unread_only=False, page=PageRequest(cursor=cursor)
                )
            return
        # A naive time is read as UTC.
        page = await h.reader.list_for(
            h.ids["alice"], unread_only=False, page=PageRequest(cursor=cursor)
        )
        assert len(page.items) == 1

    async def test_dedup_keys(self, h: Harness) -> None:
        await h.repo.add(note(h, "alice", dedup="post:e1"))
        present = await h.repo.dedup_keys_present([h.ids["alice"], h.ids["bob"]], "post:e1")
        assert present == {h.ids["alice"]}
        assert await h.repo.dedup_keys_present([], "post:e1") == set()

    async def test_dedup_pairs(self, h: Harness) -> None:
        await h.repo.add(note(h, "alice", dedup="message:e1"))
        await h.repo.add(note(h, "bob", dedup="message:e2"))
        alice, bob = h.ids["alice"], h.ids["bob"]
        pairs = [(alice, "message:e1"), (alice, "message:e2"), (bob, "message:e2")]
        assert await h.repo.dedup_pairs_present(pairs) == {
            (alice, "message:e1"),
            (bob, "message:e2"),
        }
        assert await h.repo.dedup_pairs_present([(bob, "message:e1")]) == set()
        assert await h.repo.dedup_pairs_present([]) == set()

    async def test_groups(self, h: Harness) -> None:
        group = note(h, "alice", at=T0)
        await h.repo.add(group)
        found = await h.repo.open_group(h.ids["alice"], group.group_key, T0 - timedelta(hours=1))
        assert found is not None and found.id == group.id and found.actor_ids == [h.ids["bob"]]
        assert (
            await h.repo.open_group(h.ids["alice"], group.group_key, T0 + timedelta(seconds=1))
            is None
        )
        assert (
            await h.repo.open_group(h.ids["bob"], group.group_key, T0 - timedelta(hours=1)) is None
        )
        assert not await h.repo.add_group_actor(group.id, h.ids["bob"], T0)
        assert await h.repo.add_group_actor(group.id, h.ids["carol"], T0)
        assert not await h.repo.add_group_actor(group.id, h.ids["carol"], T0)
        later = T0 + timedelta(minutes=5)
        found.add_actor(h.ids["carol"], later, is_new_actor=True)
        await h.repo.save_group(found)
        again = await h.repo.open_group(h.ids["alice"], group.group_key, T0 - timedelta(hours=1))
        assert again is not None
        assert (again.actor_ids, again.actor_count, again.updated_at) == (
            [h.ids["carol"], h.ids["bob"]],
            2,
            later,
        )
        page = await h.reader.list_for(h.ids["alice"], unread_only=False, page=PageRequest())
        assert [a.handle for a in page.items[0].actors] == ["carol", "bob"]
        await h.repo.mark_read(h.ids["alice"], None, later)
        assert (
            await h.repo.open_group(h.ids["alice"], group.group_key, T0 - timedelta(hours=1))
            is None
        )

    async def test_forget_actor(self, h: Harness) -> None:
        alice, bob, carol, dave, erin = (h.ids[n] for n in USERS)
        comment = note(h, "alice", kind=NotificationKind.COMMENT, actor="bob")
        other = note(h, "alice", kind=NotificationKind.COMMENT, actor="carol")
        bobs_own = note(h, "bob", kind=NotificationKind.COMMENT, actor="carol")
        group = note(h, "alice", actor="carol", target="p7", at=T0)
        solo = note(h, "alice", actor="bob", target="p8", at=T0)
        await h.repo.add_many([comment, other, bobs_own, group, solo])
        for minutes, actor in enumerate((bob, dave, erin), start=1):
            at = T0 + timedelta(minutes=minutes)
            assert await h.repo.add_group_actor(group.id, actor, at)
            group.add_actor(actor, at, is_new_actor=True)
        await h.repo.save_group(group)
        assert group.actor_ids == [erin, dave, bob]

        assert await h.repo.forget_actor(alice, bob) == 3
        page = await h.reader.list_for(alice, unread_only=False, page=PageRequest())
        by_id = {v.id: v for v in page.items}
        assert set(by_id) == {other.id, group.id}
        assert [a.id for a in by_id[group.id].actors] == [erin, dave, carol]
        assert by_id[group.id].actor_count == 3
        assert await h.repo.unread_counts([alice, bob]) == {alice: 2, bob: 1}
        assert await h.repo.forget_actor(alice, bob) == 0
        # Bob may rejoin the group later, and is counted once again.
        assert await h.repo.add_group_actor(group.id, bob, T0 + timedelta(hours=1))

    async def test_mark_read_and_unread_counts(self, h: Harness) -> None:
        a1, a2, a3 = (note(h, "alice") for _ in range(3))
        b1 = note(h, "bob", actor="alice")
        await h.repo.add_many([a1, a2, a3, b1])
        ids = [h.ids["alice"], h.ids["bob"], h.ids["carol"]]
        assert await h.repo.unread_counts(ids) == dict(zip(ids, [3, 1, 0], strict=True))
        assert await h.repo.mark_read(h.ids["alice"], [a1.id, b1.id, "missing"], T0) == 1
        assert await h.repo.mark_read(h.ids["alice"], [a1.id], T0) == 0
        unread = await h.reader.list_for(h.ids["alice"], unread_only=True, page=PageRequest())
        assert {v.id for v in unread.items} == {a2.id, a3.id}
        assert await h.repo.mark_read(h.ids["alice"], None, T0) == 2
        assert await h.repo.unread_counts(ids) == dict(zip(ids, [0, 1, 0], strict=True))
        everything = await h.reader.list_for(h.ids["alice"], unread_only=False, page=PageRequest())
        assert all(v.read for v in everything.items) and len(everything.items) == 3

    async def test_unread_count_follows_every_change_of_the_unread_rows(self, h: Harness) -> None:
        """The count equals the unread rows after adds, reads (some and all), a forgotten
        actor's plain and grouped notifications (a group left with nobody goes), and it
        never goes below zero."""
        alice, bob, carol = h.ids["alice"], h.ids["bob"], h.ids["carol"]

        async def unread_rows() -> int:
            page = await h.reader.list_for(alice, unread_only=True, page=PageRequest(limit=100))
            return len(page.items)

        comment = NotificationKind.COMMENT
        read_one = note(h, "alice", kind=comment, actor="bob")
        from_bob = note(h, "alice", kind=comment, actor="bob")
        from_carol = note(h, "alice", kind=comment, actor="carol")
        group = note(h, "alice", actor="bob", target="p9")  # likes group: bob its only member
        assert group.group_key is not None
        await h.repo.add_many([read_one, from_bob, from_carol, group])
        assert await h.repo.unread_counts([alice]) == {alice: 4} and await unread_rows() == 4
        assert await h.repo.mark_read(alice, [read_one.id], T0) == 1
        # bob's plain notifications (one read) and the group only he is in go
        assert await h.repo.forget_actor(alice, bob) == 3
        assert await h.repo.unread_counts([alice]) == {alice: 1} and await unread_rows() == 1
        assert await h.repo.mark_read(alice, None, T0) == 1
        assert await h.repo.mark_read(alice, None, T0) == 0
        assert await h.repo.forget_actor(alice, carol) == 1  # a read one: nothing to uncount
        assert await h.repo.unread_counts([alice, bob]) == {alice: 0, bob: 0}
        await h.repo.add_many([note(h, "alice", actor="erin")])
        assert await h.repo.unread_counts([alice]) == {alice: 1} and await unread_rows() == 1

    async def test_settings_default_and_round_trip(self, h: Harness) -> None:
        alice = await h.settings.get(h.ids["alice"])
        assert all(alice.is_enabled(k, c) for k in NotificationKind for c in Channel)
        alice.set(NotificationKind.LIKE, Channel.IN_APP, False)
        alice.set(NotificationKind.POST, Channel.PUSH, False)
        await h.settings.save(alice, T0)
        alice.set(NotificationKind.LIKE, Channel.PUSH, False)
        await h.settings.save(alice, T0)
        both = await h.settings.get_many([h.ids["alice"], h.ids["bob"]])
        assert both[h.ids["alice"]].as_plain() == alice.as_plain()
        assert both[h.ids["alice"]].is_muted(NotificationKind.LIKE)
        assert not both[h.ids["bob"]].is_muted(NotificationKind.LIKE)

    async def test_audience(self, h: Harness) -> None:
        for name in ("bob", "carol", "dave"):
            await h.follow(name, "alice")
        await h.follow("alice", "erin")
        expected = sorted(h.ids[n] for n in ("bob", "carol", "dave"))
        assert await h.audience.follower_ids(h.ids["alice"], after=None, limit=10) == expected
        assert await h.audience.follower_ids(h.ids["alice"], after=None, limit=2) == expected[:2]
        assert (
            await h.audience.follower_ids(h.ids["alice"], after=expected[1], limit=2)
            == expected[2:]
        )
        await h.block("alice", "bob")
        await h.block("carol", "alice")
        others = [h.ids[n] for n in ("bob", "carol", "dave")]
        assert await h.audience.blocked_among(h.ids["alice"], others) == {
            h.ids["bob"],
            h.ids["carol"],
        }
        assert await h.audience.blocked_among(h.ids["dave"], others) == set()
        a, b, c, d = (h.ids[n] for n in ("alice", "bob", "carol", "dave"))
        assert await h.audience.blocked_pairs([(a, b), (b, a), (a, c), (a, d), (b, c)]) == {
            (a, b),
            (b, a),
            (a, c),
        }
        assert await h.audience.blocked_pairs([]) == set()

    async def test_reachable(self, h: Harness) -> None:
        await h.set_state("bob", "banned")
        await h.set_state("carol", "deleted")
        await h.set_state("dave", "suspended")
        everyone = [*h.ids.values(), "missing"]
        assert await h.audience.reachable(everyone) == {
            h.ids["alice"],
            h.ids["dave"],
            h.ids["erin"],
        }
        assert await h.audience.reachable([]) == set()

    async def test_directory(self, h: Harness) -> None:
        found = await h.directory.summaries([h.ids["alice"], "missing"])
        assert list(found) == [h.ids["alice"]]
        assert found[h.ids["alice"]].nickname == "Alice"


@pytest.mark.unit
class TestInMemoryNotificationStore(NotificationStoreContract):
    @pytest.fixture
    async def h(self) -> AsyncIterator[Harness]:
        harness = Harness()
        harness.directory = InMemoryUserDirectory()
        harness.audience = InMemoryAudience()
        store = InMemoryNotificationStore(harness.directory)
        harness.repo = harness.reader = store
        harness.settings = InMemoryNotificationSettings()
        harness.ids = {name: name + "-" + new_id()[:8] for name in USERS}

        async def follow(a: str, b: str) -> None:
            harness.audience.follows.add((harness.ids[a], harness.ids[b]))

        async def block(a: str, b: str) -> None:
            harness.audience.blocks.add((harness.ids[a], harness.ids[b]))

        async def set_state(name: str, state: str) -> None:
            harness.audience.add_user(harness.ids[name], state)

        harness.follow = follow
        harness.block = block
        harness.set_state = set_state
        for name, user_id in harness.ids.items():
            harness.directory.put(UserCard(id=user_id, handle=name, nickname=name.title()))
            harness.audience.add_user(user_id)
        yield harness


class SqlHarness(NotificationStoreContract):
    url_fixture: str

    @pytest.fixture
    async def h(self, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url)
        session: AsyncSession = create_session_factory(engine)()
        harness = Harness()
        self.statements: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            self.statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        harness.repo = SqlNotificationRepository(session)
        harness.reader = SqlNotificationReader(session)
        harness.settings = SqlNotificationSettings(session)
        harness.audience = SqlNotificationAudience(session)
        harness.directory = SqlUserDirectory(session)
        harness.ids = {name: new_id() for name in USERS}
        users_t = UserRow.__table__  # type: ignore[attr-defined]
        await session.execute(
            insert(users_t),
            [
                {
                    "id": user_id,
                    "email": f"{name}@example.com",
                    "handle": name,
                    "nickname": name.title(),
                    "bio": "",
                    "native_language": "ko",
                    "interface_language": "ko",
                    "password_hash": "x",
                    "role": "user",
                    "state": "active",
                    "show_followers_list": "everyone",
                    "show_following_list": "everyone",
                    "chat_policy": "everyone",
                    "send_read_receipts": True,
                    "created_at": T0,
                    "updated_at": T0,
                }
                for name, user_id in harness.ids.items()
            ],
        )

        async def follow(a: str, b: str) -> None:
            await session.execute(
                insert(FollowRow.__table__),  # type: ignore[attr-defined]
                {"follower_id": harness.ids[a], "followee_id": harness.ids[b], "created_at": T0},
            )

        async def block(a: str, b: str) -> None:
            await session.execute(
                insert(BlockRow.__table__),  # type: ignore[attr-defined]
                {"blocker_id": harness.ids[a], "blocked_id": harness.ids[b], "created_at": T0},
            )

        async def set_state(name: str, state: str) -> None:
            await session.execute(
                update(users_t).where(users_t.c.id == harness.ids[name]).values(state=state)
            )

        harness.follow = follow
        harness.block = block
        harness.set_state = set_state
        try:
            yield harness
        finally:
            await session.rollback()
            await session.close()
            await engine.dispose()

    async def test_a_page_with_actors_is_one_query(self, h: Harness) -> None:
        for i in range(4):
            n = note(h, "alice", at=T0 + timedelta(seconds=i))
            await h.repo.add(n)
            for actor in ("carol", "dave"):
                await h.repo.add_group_actor(n.id, h.ids[actor], T0)
                n.add_actor(h.ids[actor], T0 + timedelta(seconds=i), is_new_actor=True)
            await h.repo.save_group(n)
        self.statements.clear()
        page = await h.reader.list_for(h.ids["alice"], unread_only=False, page=PageRequest(limit=3))
        assert len(self.statements) == 1
        assert [len(v.actors) for v in page.items] == [3, 3, 3]
        assert page.items[0].actors[0].handle == "dave"


@pytest.mark.integration
class TestSqliteNotificationStore(SqlHarness):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresNotificationStore(SqlHarness):
    url_fixture = "postgres_url"
