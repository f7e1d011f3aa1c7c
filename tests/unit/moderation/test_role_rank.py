"""Staff act only on accounts of a strictly lower role (member < moderator, analyst <
admin), never on themselves; suspensions and bans kill the account's access tokens at once
and publish `SessionsRevoked` (4403) after the commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.session_control import decode_revoked
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.topics import user_sessions_topic
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.set_user_role import SetUserRole, SetUserRoleCommand
from hypehere.application.moderation.suspend_user import SuspendUser, SuspendUserCommand
from hypehere.application.moderation.unban_user import UnbanUser, UnbanUserCommand
from hypehere.application.moderation.unsuspend_user import UnsuspendUser, UnsuspendUserCommand
from hypehere.application.users.verify_access_token import (
    VerifyAccessToken,
    VerifyAccessTokenCommand,
)
from hypehere.domain.shared.errors import StaffOnlyError
from hypehere.domain.users.errors import (
    CannotActOnSelfError,
    InsufficientRoleError,
    InvalidAccessTokenError,
)
from hypehere.domain.users.model import AccountState, UserRole
from tests.unit.moderation.conftest import ModerationKit

pytestmark = pytest.mark.unit

STAFF = Actor(user_id="staff", role=Role.MODERATOR)

ACTIONS: dict[str, tuple[type, Callable[[Actor, str], Any]]] = {
    "suspend": (SuspendUser, lambda a, u: SuspendUserCommand(actor=a, user_id=u, days=1)),
    "unsuspend": (UnsuspendUser, lambda a, u: UnsuspendUserCommand(actor=a, user_id=u)),
    "ban": (BanUser, lambda a, u: BanUserCommand(actor=a, user_id=u)),
    "unban": (UnbanUser, lambda a, u: UnbanUserCommand(actor=a, user_id=u)),
    "role": (SetUserRole, lambda a, u: SetUserRoleCommand(actor=a, user_id=u, role="member")),
}


async def _account(mod: ModerationKit, role: UserRole) -> str:
    result = await mod.users.register()
    mod.users.store.users[result.user.id].role = role
    return result.user.id


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    ("staff", "target"),
    [
        (Role.MODERATOR, UserRole.ADMIN),
        (Role.MODERATOR, UserRole.MODERATOR),
        (Role.MODERATOR, UserRole.ANALYST),
        (Role.ADMIN, UserRole.ADMIN),
    ],
)
async def test_staff_never_act_on_an_equal_or_higher_role(
    mod: ModerationKit, action: str, staff: Role, target: UserRole
) -> None:
    use_case, command = ACTIONS[action]
    target_id = await _account(mod, target)
    before = mod.users.store.users[target_id]
    state, role = before.state, before.role
    admin_only = action == "role" and staff is not Role.ADMIN  # refused before the rank check
    with pytest.raises(StaffOnlyError if admin_only else InsufficientRoleError):
        await mod.build(use_case).execute(command(Actor(user_id="staff", role=staff), target_id))
    after = mod.users.store.users[target_id]
    assert (after.state, after.role) == (state, role)


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
async def test_staff_never_act_on_themselves(
    mod: ModerationKit, action: str, role: UserRole
) -> None:
    use_case, command = ACTIONS[action]
    me = await _account(mod, role)
    admin_only = action == "role" and role is not UserRole.ADMIN
    with pytest.raises(StaffOnlyError if admin_only else CannotActOnSelfError):
        await mod.build(use_case).execute(command(Actor(user_id=me, role=Role(role.value)), me))
    assert mod.users.store.users[me].role is role


async def test_a_moderator_acts_on_members_and_an_admin_on_moderators(
    mod: ModerationKit,
) -> None:
    member = await _account(mod, UserRole.MEMBER)
    moderator = await _account(mod, UserRole.MODERATOR)
    await mod.build(BanUser).execute(
        BanUserCommand(actor=Actor(user_id=moderator, role=Role.MODERATOR), user_id=member)
    )
    assert mod.users.store.users[member].state is AccountState.BANNED
    admin = Actor(user_id="admin", role=Role.ADMIN)
    await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=admin, user_id=moderator, role="member")
    )
    await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=admin, user_id=moderator, role="admin")
    )
    assert mod.users.store.users[moderator].role is UserRole.ADMIN


@pytest.mark.parametrize(
    ("use_case", "command", "reason"),
    [
        (SuspendUser, lambda u: SuspendUserCommand(actor=STAFF, user_id=u, days=1), "suspend"),
        (BanUser, lambda u: BanUserCommand(actor=STAFF, user_id=u), "ban"),
    ],
)
async def test_suspend_and_ban_kill_tokens_and_publish_after_commit(
    mod: ModerationKit, use_case: type, command: Callable[[str], Any], reason: str
) -> None:
    kit = mod.users
    victim = await kit.register()
    kit.clock.advance(seconds=1)
    topic = user_sessions_topic(victim.user.id)
    async with kit.broker.subscribe(topic) as subscription:
        await mod.build(use_case).execute(command(victim.user.id))
        await kit.uow.settle()
        await kit.broker.publish(topic, b"end")
        frames = []
        async for message in subscription:
            if message.data == b"end":
                break
            frames.append(decode_revoked(message.data))
    assert frames == [SessionsRevoked(reason=reason, close_code=4403)]
    # lifted at once: the token issued before the suspension or ban stays dead
    lift = UnsuspendUser if use_case is SuspendUser else UnbanUser
    lift_command = UnsuspendUserCommand if use_case is SuspendUser else UnbanUserCommand
    await mod.build(lift).execute(lift_command(actor=STAFF, user_id=victim.user.id))
    verifier = kit.build(VerifyAccessToken)
    with pytest.raises(InvalidAccessTokenError):
        await verifier.execute(VerifyAccessTokenCommand(victim.tokens.access_token))


async def test_a_refused_action_publishes_nothing(mod: ModerationKit) -> None:
    kit = mod.users
    admin = await _account(mod, UserRole.ADMIN)
    topic = user_sessions_topic(admin)
    async with kit.broker.subscribe(topic) as subscription:
        with pytest.raises(InsufficientRoleError):
            await mod.build(BanUser).execute(BanUserCommand(actor=STAFF, user_id=admin))
        await kit.uow.settle()
        await kit.broker.publish(topic, b"end")
        assert (await anext(aiter(subscription))).data == b"end"
    token = kit.codec.issue(admin, "admin", kit.clock.now()).token
    verified = await kit.build(VerifyAccessToken).execute(VerifyAccessTokenCommand(token))
    assert verified.actor.role is Role.ADMIN
