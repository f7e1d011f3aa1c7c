"""Staff account actions and suspension expiry against the in-memory fakes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hypehere.application.common.actor import Actor, Role
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.lift_suspensions import (
    LiftSuspensions,
    LiftSuspensionsCommand,
)
from hypehere.application.moderation.suspend_user import SuspendUser, SuspendUserCommand
from hypehere.application.moderation.unban_user import UnbanUser, UnbanUserCommand
from hypehere.application.moderation.unsuspend_user import UnsuspendUser, UnsuspendUserCommand
from hypehere.application.users.verify_access_token import (
    VerifyAccessToken,
    VerifyAccessTokenCommand,
)
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from hypehere.domain.users.errors import (
    AccountBannedError,
    AccountSuspendedError,
    InvalidStateTransitionError,
    UserNotFoundError,
)
from hypehere.domain.users.model import AccountState
from tests.unit.moderation.conftest import ModerationKit

pytestmark = pytest.mark.unit

STAFF = Actor(user_id="staff", role=Role.MODERATOR)


async def test_suspension_lifts_at_request_time_and_by_job(mod: ModerationKit) -> None:
    kit = mod.users
    a = await kit.register()
    b = await kit.register()
    for r, days in ((a, 1), (b, 3)):
        await mod.build(SuspendUser).execute(
            SuspendUserCommand(actor=STAFF, user_id=r.user.id, days=days)
        )
    verifier = kit.build(VerifyAccessToken)
    with pytest.raises(AccountSuspendedError):
        await verifier.execute(VerifyAccessTokenCommand(a.tokens.access_token))
    kit.clock.advance(days=1)
    fresh = kit.codec.issue(a.user.id, "member", kit.clock.now()).token
    await verifier.execute(
        VerifyAccessTokenCommand(fresh)
    )  # expired suspension counts as lifted right away
    assert (await mod.build(LiftSuspensions).execute(LiftSuspensionsCommand())).lifted == 1
    assert kit.store.users[a.user.id].state is AccountState.ACTIVE
    assert kit.store.users[b.user.id].state is AccountState.SUSPENDED
    assert kit.outbox.topics().count("users.state_changed") == 3


async def test_lift_suspensions_works_through_batches(mod: ModerationKit) -> None:
    kit = mod.users
    victims = [await kit.register() for _ in range(5)]
    for r in victims:
        await mod.build(SuspendUser).execute(
            SuspendUserCommand(actor=STAFF, user_id=r.user.id, days=1)
        )
    kit.clock.advance(days=2)
    lift = mod.build(LiftSuspensions)
    assert (await lift.execute(LiftSuspensionsCommand(batch_size=2))).lifted == 5
    assert all(kit.store.users[r.user.id].state is AccountState.ACTIVE for r in victims)
    assert (await lift.execute(LiftSuspensionsCommand(batch_size=2))).lifted == 0


async def test_suspend_ends_sessions_and_unsuspend_restores(mod: ModerationKit) -> None:
    kit = mod.users
    victim = await kit.register()
    view = await mod.build(SuspendUser).execute(
        SuspendUserCommand(actor=STAFF, user_id=victim.user.id, days=2, reason="spam")
    )
    assert view.state == "suspended"
    assert view.suspended_until == kit.clock.now() + timedelta(days=2)
    assert view.suspension_reason == "spam"
    assert all(t.revoked_at is not None for t in kit.store.tokens.values())
    view = await mod.build(UnsuspendUser).execute(
        UnsuspendUserCommand(actor=STAFF, user_id=victim.user.id)
    )
    assert (view.state, view.suspended_until) == ("active", None)
    with pytest.raises(InvalidStateTransitionError):
        await mod.build(UnsuspendUser).execute(
            UnsuspendUserCommand(actor=STAFF, user_id=victim.user.id)
        )


async def test_ban_and_unban(mod: ModerationKit) -> None:
    kit = mod.users
    victim = await kit.register()
    view = await mod.build(BanUser).execute(
        BanUserCommand(actor=STAFF, user_id=victim.user.id, reason="hate")
    )
    assert (view.state, view.id, view.email) == ("banned", victim.user.id, victim.user.email)
    assert all(t.revoked_at is not None for t in kit.store.tokens.values())
    with pytest.raises(AccountBannedError):
        await kit.build(VerifyAccessToken).execute(
            VerifyAccessTokenCommand(victim.tokens.access_token)
        )
    view = await mod.build(UnbanUser).execute(UnbanUserCommand(actor=STAFF, user_id=victim.user.id))
    assert view.state == "active"
    assert kit.outbox.topics().count("users.state_changed") == 2


@pytest.mark.parametrize(
    ("days", "until"),
    [
        (None, None),
        (1, datetime(2030, 1, 1)),
        (0, None),
        (3651, None),
        (None, datetime(2030, 1, 1)),
    ],
)
async def test_suspension_input_is_checked(
    mod: ModerationKit, days: int | None, until: datetime | None
) -> None:
    victim = await mod.users.register()
    with pytest.raises(InvalidInputError):
        await mod.build(SuspendUser).execute(
            SuspendUserCommand(actor=STAFF, user_id=victim.user.id, days=days, until=until)
        )


async def test_staff_only_and_unknown_user(mod: ModerationKit) -> None:
    target = await mod.users.register()
    member = Actor(user_id="x")
    with pytest.raises(StaffOnlyError):
        await mod.build(BanUser).execute(BanUserCommand(actor=member, user_id=target.user.id))
    with pytest.raises(StaffOnlyError):
        await mod.build(SuspendUser).execute(
            SuspendUserCommand(actor=member, user_id=target.user.id, days=1)
        )
    with pytest.raises(UserNotFoundError):
        await mod.build(UnbanUser).execute(UnbanUserCommand(actor=STAFF, user_id="missing"))
    assert mod.users.store.users[target.user.id].state is AccountState.ACTIVE
