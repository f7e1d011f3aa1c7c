"""UserRepository + AccountStatusReader contract: memory, SQLite, Postgres."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.users.errors import EmailTakenError, HandleTakenError
from hypehere.domain.users.model import (
    AccountState,
    ChatPolicy,
    ListVisibility,
    Privacy,
    RefreshToken,
    TargetLanguage,
    UserRole,
)
from tests.contract.users.base import OnMemory, OnPostgres, OnSqlite
from tests.contract.users.world import NOW, UsersWorld

pytestmark = pytest.mark.integration


class UserRepositoryContract:
    async def test_round_trip(self, world: UsersWorld) -> None:
        user = await world.add_user("alice", targets=(("en", "B2"), ("ja", "A1")))
        loaded = await world.users.get(user.id)
        assert loaded is not None
        assert loaded.email == "alice@example.com" and loaded.handle == "alice"
        assert loaded.target_languages == (
            TargetLanguage("en", CefrLevel.B2),
            TargetLanguage("ja", CefrLevel.A1),
        )
        assert loaded.created_at == NOW and loaded.created_at.tzinfo is not None
        assert loaded.state is AccountState.ACTIVE and loaded.role is UserRole.MEMBER
        assert (await world.users.get_by_email("alice@example.com")).id == user.id
        assert (await world.users.get_by_handle("alice")).id == user.id
        assert await world.users.get("missing") is None
        assert await world.users.get_by_email("nobody@example.com") is None

    async def test_unique_email_and_handle(self, world: UsersWorld) -> None:
        alice = await world.add_user("alice")
        with pytest.raises(EmailTakenError):
            await world.users.add(replace(alice, id="other-id", handle="other"))
        await world.commit()
        with pytest.raises(HandleTakenError):
            await world.users.add(replace(alice, id="other-id", email="x@example.com"))
        await world.commit()
        bob = await world.add_user("bob")
        bob.handle = "alice"
        with pytest.raises(HandleTakenError):
            await world.users.save(bob)

    async def test_save_writes_fields_but_never_counters(self, world: UsersWorld) -> None:
        alice = await world.add_user("alice")
        bob = await world.add_user("bob")
        await world.graph.follow(bob.id, alice.id, NOW)
        await world.commit()
        alice.nickname = "앨리스"
        alice.bio = "hi"
        alice.privacy = Privacy(ListVisibility.NOBODY, ListVisibility.FOLLOWERS)
        alice.chat_policy = ChatPolicy.NOBODY_NEW
        alice.send_read_receipts = False
        alice.target_languages = (TargetLanguage("es", CefrLevel.C1),)
        alice.suspend(NOW + timedelta(days=1), "spam", NOW)
        alice.follower_count = 99  # stale in-memory value must not overwrite the real one
        await world.users.save(alice)
        await world.commit()
        loaded = await world.users.get(alice.id)
        assert loaded.nickname == "앨리스" and loaded.bio == "hi"
        assert loaded.privacy == Privacy(ListVisibility.NOBODY, ListVisibility.FOLLOWERS)
        assert loaded.chat_policy is ChatPolicy.NOBODY_NEW and not loaded.send_read_receipts
        assert loaded.target_languages == (TargetLanguage("es", CefrLevel.C1),)
        assert loaded.state is AccountState.SUSPENDED
        assert loaded.suspended_until == NOW + timedelta(days=1)
        assert loaded.follower_count == 1

    async def test_handles_taken(self, world: UsersWorld) -> None:
        await world.add_user("sam")
        await world.add_user("sam2")
        assert await world.users.handles_taken(["sam", "sam2", "sam3"]) == {"sam", "sam2"}
        assert await world.users.handles_taken([]) == set()

    async def test_due_suspensions_and_deletions(self, world: UsersWorld) -> None:
        early = await world.add_user("early")
        late = await world.add_user("late")
        leaving = await world.add_user("leaving")
        early.suspend(NOW + timedelta(hours=1), None, NOW)
        late.suspend(NOW + timedelta(days=3), None, NOW)
        leaving.request_deletion(NOW)
        for user in (early, late, leaving):
            await world.users.save(user)
        await world.commit()
        assert await world.users.suspended_until_before(NOW + timedelta(hours=2), 10) == [early.id]
        assert await world.users.suspended_until_before(NOW, 10) == []
        assert await world.users.deletion_requested_before(NOW, 10) == [leaving.id]
        assert await world.users.deletion_requested_before(NOW - timedelta(seconds=1), 10) == []

    async def test_account_status(self, world: UsersWorld) -> None:
        alice = await world.add_user("alice")
        alice.ban(None, NOW)
        alice.set_role(UserRole.MODERATOR, NOW)
        await world.users.save(alice)
        await world.commit()
        status = await world.status.status(alice.id)
        assert (status.state, status.role, status.interface_language) == (
            "banned",
            "moderator",
            "ko",
        )
        assert await world.status.status("missing") is None

    async def test_account_status_reads_revocations_in_the_same_lookup(
        self, world: UsersWorld
    ) -> None:
        alice = await world.add_user("alice")
        status = await world.status.status(alice.id, None)
        assert (status.tokens_valid_after, status.session_revoked) == (None, False)
        for family, raw in (("phone", "p"), ("laptop", "l")):
            await world.tokens.add(
                RefreshToken(
                    id=new_id(),
                    user_id=alice.id,
                    family_id=family,
                    token_hash=f"hash-{raw}",
                    created_at=NOW,
                    expires_at=NOW + timedelta(days=30),
                )
            )
        await world.commit()
        await world.tokens.revoke_family("phone", NOW)
        revoked_at = NOW + timedelta(microseconds=123457)  # kept to the microsecond
        alice.revoke_tokens(revoked_at)
        await world.users.save(alice)
        await world.commit()
        phone = await world.status.status(alice.id, "phone")
        laptop = await world.status.status(alice.id, "laptop")
        unknown = await world.status.status(alice.id, "never-issued")
        assert (phone.session_revoked, laptop.session_revoked) == (True, False)
        assert unknown.session_revoked is False
        assert phone.tokens_valid_after == revoked_at
        assert (await world.users.get(alice.id)).tokens_valid_after == revoked_at

    async def test_counters_move_atomically_and_stop_at_zero(self, world: UsersWorld) -> None:
        alice = await world.add_user("alice")
        await world.counters.adjust_post_count(alice.id, 1)
        await world.counters.adjust_post_count(alice.id, 1)
        await world.counters.adjust_post_count(alice.id, -5)
        await world.counters.adjust_post_count(alice.id, 1)
        await world.counters.adjust_post_count("missing", 1)
        await world.commit()
        loaded = await world.users.get(alice.id)
        assert loaded.post_count == 1

    async def test_report_marks(self, world: UsersWorld) -> None:
        alice = await world.add_user("alice")
        old = NOW - timedelta(days=40)
        assert await world.counters.mark_report(alice.id, "r1", old) is True
        assert await world.counters.mark_report(alice.id, "r1", NOW) is False
        assert await world.counters.mark_report(alice.id, "r2", NOW) is True
        await world.commit()
        since = NOW - timedelta(days=30)
        assert await world.counters.report_counts(alice.id, since) == (2, 1)
        assert await world.counters.unmark_report(alice.id, "r2") is True
        assert await world.counters.unmark_report(alice.id, "r2") is False
        await world.commit()
        assert await world.counters.report_counts(alice.id, since) == (1, 0)
        assert (await world.users.get(alice.id)).report_count == 1


class TestMemory(OnMemory, UserRepositoryContract):
    pass


class TestSqlite(OnSqlite, UserRepositoryContract):
    pass


class TestPostgres(OnPostgres, UserRepositoryContract):
    pass
