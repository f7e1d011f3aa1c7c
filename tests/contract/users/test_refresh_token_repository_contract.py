"""RefreshTokenRepository contract: memory, SQLite, Postgres."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hypehere.domain.shared.ids import new_id
from hypehere.domain.users.model import RefreshToken
from tests.contract.users.base import OnMemory, OnPostgres, OnSqlite
from tests.contract.users.world import NOW, UsersWorld

pytestmark = pytest.mark.integration


def token(user_id: str, family: str, raw: str) -> RefreshToken:
    return RefreshToken(
        id=new_id(),
        user_id=user_id,
        family_id=family,
        token_hash=f"hash-{raw}",
        created_at=NOW,
        expires_at=NOW + timedelta(days=30),
    )


class RefreshTokenContract:
    async def test_round_trip_and_single_use(self, world: UsersWorld) -> None:
        user = await world.add_user("alice")
        t = token(user.id, "fam", "a")
        await world.tokens.add(t)
        await world.commit()
        loaded = await world.tokens.get_by_hash("hash-a")
        assert loaded == t
        assert await world.tokens.get_by_hash("hash-zzz") is None
        assert await world.tokens.mark_used(t.id, NOW) is True
        assert await world.tokens.mark_used(t.id, NOW) is False
        await world.commit()
        assert (await world.tokens.get_by_hash("hash-a")).used_at == NOW

    async def test_a_continued_session_keeps_its_start(self, world: UsersWorld) -> None:
        user = await world.add_user("alice")
        later = NOW + timedelta(days=20)
        t = RefreshToken(
            id=new_id(),
            user_id=user.id,
            family_id="fam",
            token_hash="hash-next",
            created_at=later,
            expires_at=later + timedelta(days=30),
            session_started_at=NOW,
        )
        await world.tokens.add(t)
        await world.commit()
        loaded = await world.tokens.get_by_hash("hash-next")
        assert (loaded.started_at, loaded.created_at) == (NOW, later)

    async def test_revocations(self, world: UsersWorld) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        a1, a2, a3 = (
            token(alice.id, "f1", "1"),
            token(alice.id, "f1", "2"),
            token(alice.id, "f2", "3"),
        )
        b1 = token(bob.id, "f3", "4")
        for t in (a1, a2, a3, b1):
            await world.tokens.add(t)
        await world.commit()
        await world.tokens.revoke_family("f1", NOW)
        await world.commit()
        assert (await world.tokens.get_by_hash("hash-1")).revoked_at == NOW
        assert (await world.tokens.get_by_hash("hash-2")).revoked_at == NOW
        assert (await world.tokens.get_by_hash("hash-3")).revoked_at is None
        assert await world.tokens.mark_used(a2.id, NOW) is False
        await world.tokens.revoke_all_for_user(alice.id, NOW + timedelta(minutes=1))
        await world.tokens.revoke(b1.id, NOW)
        await world.commit()
        assert (await world.tokens.get_by_hash("hash-3")).revoked_at == NOW + timedelta(minutes=1)
        assert (await world.tokens.get_by_hash("hash-1")).revoked_at == NOW  # first time kept
        assert (await world.tokens.get_by_hash("hash-4")).revoked_at == NOW


class TestMemory(OnMemory, RefreshTokenContract):
    pass


class TestSqlite(OnSqlite, RefreshTokenContract):
    pass


class TestPostgres(OnPostgres, RefreshTokenContract):
    pass
