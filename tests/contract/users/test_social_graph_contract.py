"""SocialGraph contract (edges + atomic counters): memory, SQLite, Postgres."""

from __future__ import annotations

import pytest

from tests.contract.users.base import OnMemory, OnPostgres, OnSqlite
from tests.contract.users.world import NOW, UsersWorld

pytestmark = pytest.mark.integration


async def counts(world: UsersWorld, user_id: str) -> tuple[int, int]:
    user = await world.users.get(user_id)
    return user.follower_count, user.following_count


class SocialGraphContract:
    async def test_follow_is_idempotent_and_counts(self, world: UsersWorld) -> None:
        a = await world.add_user("alice")
        b = await world.add_user("bob")
        assert await world.graph.follow(a.id, b.id, NOW) is True
        assert await world.graph.follow(a.id, b.id, NOW) is False
        await world.commit()
        assert await counts(world, b.id) == (1, 0)
        assert await counts(world, a.id) == (0, 1)
        assert await world.graph.is_following(a.id, b.id)
        assert not await world.graph.is_following(b.id, a.id)
        assert await world.graph.unfollow(a.id, b.id) is True
        assert await world.graph.unfollow(a.id, b.id) is False
        await world.commit()
        assert await counts(world, b.id) == (0, 0)
        assert await counts(world, a.id) == (0, 0)

    async def test_blocks(self, world: UsersWorld) -> None:
        a = await world.add_user("alice")
        b = await world.add_user("bob")
        c = await world.add_user("carol")
        assert await world.graph.block(a.id, b.id, NOW) is True
        assert await world.graph.block(a.id, b.id, NOW) is False
        await world.commit()
        assert await world.graph.is_blocking(a.id, b.id)
        assert not await world.graph.is_blocking(b.id, a.id)
        assert await world.graph.blocked_either_way(b.id, a.id)
        assert not await world.graph.blocked_either_way(a.id, c.id)
        assert await world.graph.unblock(a.id, b.id) is True
        assert await world.graph.unblock(a.id, b.id) is False
        await world.commit()
        assert not await world.graph.blocked_either_way(a.id, b.id)

    async def test_remove_all_edges_fixes_other_counters(self, world: UsersWorld) -> None:
        gone = await world.add_user("gone")
        b = await world.add_user("bob")
        c = await world.add_user("carol")
        await world.graph.follow(gone.id, b.id, NOW)
        await world.graph.follow(c.id, gone.id, NOW)
        await world.graph.follow(c.id, b.id, NOW)
        await world.graph.block(b.id, gone.id, NOW)
        await world.commit()
        await world.graph.remove_all_edges(gone.id)
        await world.commit()
        assert await counts(world, b.id) == (1, 0)
        assert await counts(world, c.id) == (0, 1)
        assert await counts(world, gone.id) == (0, 0)
        assert not await world.graph.blocked_either_way(b.id, gone.id)


class TestMemory(OnMemory, SocialGraphContract):
    pass


class TestSqlite(OnSqlite, SocialGraphContract):
    pass


class TestPostgres(OnPostgres, SocialGraphContract):
    pass
