"""Role changes: an admin-only account action; the new role (and a ban) reach the access
token verifier at the next request."""

from __future__ import annotations

import pytest

from hypehere.adapters.modules.users_auth import UsersAccessTokenVerifier
from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.auth import AuthenticatedActor
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.set_user_role import SetUserRole, SetUserRoleCommand
from hypehere.application.users.verify_access_token import VerifyAccessToken
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from hypehere.domain.users.errors import (
    AccountBannedError,
    InvalidAccessTokenError,
    UserNotFoundError,
)
from hypehere.domain.users.model import UserRole
from tests.unit.moderation.conftest import ModerationKit

pytestmark = pytest.mark.unit

ADMIN = Actor(user_id="admin", role=Role.ADMIN)


async def test_an_admin_sets_a_role(mod: ModerationKit) -> None:
    target = await mod.users.register()
    mod.users.clock.advance(minutes=5)
    view = await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=target.user.id, role=" Moderator ")
    )
    assert (view.id, view.role, view.state) == (target.user.id, "moderator", "active")
    stored = mod.users.store.users[target.user.id]
    assert stored.role is UserRole.MODERATOR
    assert stored.updated_at == mod.users.clock.now()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.ANALYST])
async def test_only_an_admin_may_change_roles(mod: ModerationKit, role: Role) -> None:
    target = await mod.users.register()
    with pytest.raises(StaffOnlyError):
        await mod.build(SetUserRole).execute(
            SetUserRoleCommand(
                actor=Actor(user_id="x", role=role), user_id=target.user.id, role="admin"
            )
        )
    assert mod.users.store.users[target.user.id].role is UserRole.MEMBER


async def test_unknown_role_and_unknown_user(mod: ModerationKit) -> None:
    target = await mod.users.register()
    with pytest.raises(InvalidInputError) as raised:
        await mod.build(SetUserRole).execute(
            SetUserRoleCommand(actor=ADMIN, user_id=target.user.id, role="owner")
        )
    assert raised.value.field == "role"
    with pytest.raises(UserNotFoundError):
        await mod.build(SetUserRole).execute(
            SetUserRoleCommand(actor=ADMIN, user_id="missing", role="admin")
        )


async def test_the_verifier_checks_the_current_account_state(mod: ModerationKit) -> None:
    kit = mod.users
    result = await kit.register()
    verifier = kit.build(VerifyAccessToken)

    async def verify(token: str) -> AuthenticatedActor:
        return await UsersAccessTokenVerifier(verifier).verify(token)  # the port's adapter

    authenticated = await verify(result.tokens.access_token)
    assert authenticated.actor.user_id == result.user.id
    assert authenticated.interface_language == "ko"
    await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=result.user.id, role="moderator")
    )
    assert (await verify(result.tokens.access_token)).actor.role is Role.MODERATOR
    await mod.build(BanUser).execute(BanUserCommand(actor=ADMIN, user_id=result.user.id))
    with pytest.raises(AccountBannedError):
        await verify(result.tokens.access_token)
    with pytest.raises(InvalidAccessTokenError):
        await verify("garbage")
    kit.clock.advance(minutes=16)
    with pytest.raises(InvalidAccessTokenError):
        await verify(result.tokens.access_token)


async def test_user_is_the_api_name_of_the_default_role(mod: ModerationKit) -> None:
    """API.md calls the default role `user`: granting it makes a moderator a user again."""
    target = await mod.users.register()
    await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=target.user.id, role="moderator")
    )
    view = await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=target.user.id, role="User")
    )
    assert view.role == "user"
    assert mod.users.store.users[target.user.id].role is UserRole.MEMBER


async def test_member_the_old_name_of_the_default_role_still_works(mod: ModerationKit) -> None:
    target = await mod.users.register()
    await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=target.user.id, role="moderator")
    )
    view = await mod.build(SetUserRole).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=target.user.id, role="member")
    )
    assert view.role == "user"
    assert UserRole("member") is UserRole.MEMBER  # rows and tokens written before 0023
