"""Ending sessions: a password change, deactivation, deletion or logout kills access tokens
at once (not 15 minutes later), a logout ends only its own session, sessions have an
absolute lifetime, and every end is published as `SessionsRevoked` after the commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.common.auth import AuthenticatedActor
from hypehere.application.common.session_control import decode_revoked
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.topics import user_sessions_topic
from hypehere.application.users.change_password import ChangePassword, ChangePasswordCommand
from hypehere.application.users.deactivate_account import (
    DeactivateAccount,
    DeactivateAccountCommand,
)
from hypehere.application.users.log_in import LogIn, LogInCommand
from hypehere.application.users.log_out import LogOut, LogOutCommand
from hypehere.application.users.purge_deleted_accounts import (
    PurgeDeletedAccounts,
    PurgeDeletedAccountsCommand,
)
from hypehere.application.users.refresh_session import RefreshSession, RefreshSessionCommand
from hypehere.application.users.request_account_deletion import (
    RequestAccountDeletion,
    RequestAccountDeletionCommand,
)
from hypehere.application.users.verify_access_token import (
    VerifyAccessToken,
    VerifyAccessTokenCommand,
)
from hypehere.domain.users.errors import (
    AccountInactiveError,
    InvalidAccessTokenError,
    InvalidRefreshTokenError,
    WrongPasswordError,
)
from tests.unit.users.conftest import PASSWORD, Kit

pytestmark = pytest.mark.unit

NEW_PASSWORD = "another long passphrase"


async def _verify(kit: Kit, token: str) -> AuthenticatedActor:
    verifier: VerifyAccessToken = kit.build(VerifyAccessToken)
    return await verifier.execute(VerifyAccessTokenCommand(token))


@asynccontextmanager
async def _control_frames(kit: Kit, user_id: str) -> AsyncIterator[list[SessionsRevoked]]:
    """The `SessionsRevoked` frames published for `user_id` while the block runs (after-commit
    actions are awaited at the end)."""
    frames: list[SessionsRevoked] = []
    topic = user_sessions_topic(user_id)
    async with kit.broker.subscribe(topic) as subscription:
        yield frames
        await kit.uow.settle()
        await kit.broker.publish(topic, b"end")  # everything published before it comes first
        async for message in subscription:
            if message.data == b"end":
                break
            frames.append(decode_revoked(message.data))


async def test_the_verifier_reports_the_tokens_expiry_and_session(kit: Kit) -> None:
    result = await kit.register()
    actor = await _verify(kit, result.tokens.access_token)
    family = next(iter(kit.store.tokens.values())).family_id
    assert actor.session_id == family
    assert actor.expires_at == kit.clock.now() + timedelta(seconds=kit.codec.ttl)


async def test_a_password_change_kills_every_access_token_at_once(kit: Kit) -> None:
    result = await kit.register()
    me = Actor(user_id=result.user.id)
    second = await kit.build(LogIn).execute(LogInCommand(result.user.email, PASSWORD))
    kit.clock.advance(seconds=1)
    async with _control_frames(kit, me.user_id) as frames:
        await kit.build(ChangePassword).execute(ChangePasswordCommand(me, PASSWORD, NEW_PASSWORD))
    for token in (result.tokens.access_token, second.tokens.access_token):
        with pytest.raises(InvalidAccessTokenError):
            await _verify(kit, token)
    assert frames == [SessionsRevoked(reason="password_changed", close_code=4401)]
    # signing in again (even within the same instant) gives working tokens
    fresh = await kit.build(LogIn).execute(LogInCommand(result.user.email, NEW_PASSWORD))
    assert (await _verify(kit, fresh.tokens.access_token)).actor.user_id == me.user_id


async def test_a_failed_password_change_publishes_nothing(kit: Kit) -> None:
    result = await kit.register()
    me = Actor(user_id=result.user.id)
    async with _control_frames(kit, me.user_id) as frames:
        with pytest.raises(WrongPasswordError):
            await kit.build(ChangePassword).execute(
                ChangePasswordCommand(me, "not the password", NEW_PASSWORD)
            )
    assert frames == []
    await _verify(kit, result.tokens.access_token)


@pytest.mark.parametrize(
    ("use_case", "command", "reason"),
    [
        (DeactivateAccount, DeactivateAccountCommand, "deactivated"),
        (RequestAccountDeletion, RequestAccountDeletionCommand, "deletion_requested"),
    ],
)
async def test_leaving_kills_access_tokens_even_after_coming_back(
    kit: Kit, use_case: type, command: type, reason: str
) -> None:
    result = await kit.register()
    me = Actor(user_id=result.user.id)
    kit.clock.advance(seconds=1)
    async with _control_frames(kit, me.user_id) as frames:
        await kit.build(use_case).execute(command(me))
    assert frames == [SessionsRevoked(reason=reason, close_code=4403)]
    with pytest.raises(AccountInactiveError):
        await _verify(kit, result.tokens.access_token)
    # logging in again reactivates the account: the old token stays dead, the new one works
    back = await kit.build(LogIn).execute(LogInCommand(result.user.email, PASSWORD))
    with pytest.raises(InvalidAccessTokenError):
        await _verify(kit, result.tokens.access_token)
    await _verify(kit, back.tokens.access_token)


async def test_a_purged_account_has_its_tokens_revoked(kit: Kit) -> None:
    result = await kit.register()
    await kit.build(RequestAccountDeletion).execute(
        RequestAccountDeletionCommand(Actor(user_id=result.user.id))
    )
    kit.clock.advance(days=31)
    await kit.build(PurgeDeletedAccounts).execute(PurgeDeletedAccountsCommand())
    assert kit.store.users[result.user.id].tokens_valid_after == kit.clock.now()


async def test_logout_ends_its_session_only(kit: Kit) -> None:
    first = await kit.register()
    user_id = first.user.id
    second = await kit.build(LogIn).execute(LogInCommand(first.user.email, PASSWORD))
    # the first session rotates once: its newer tokens belong to the same session
    kit.clock.advance(minutes=5)
    rotated = await kit.build(RefreshSession).execute(
        RefreshSessionCommand(first.tokens.refresh_token)
    )
    session = (await _verify(kit, rotated.access_token)).session_id
    assert session is not None
    assert session != (await _verify(kit, second.tokens.access_token)).session_id

    async with _control_frames(kit, user_id) as frames:
        await kit.build(LogOut).execute(LogOutCommand(rotated.refresh_token))
    assert frames == [SessionsRevoked(reason="logout", close_code=4401, session_id=session)]
    for token in (first.tokens.access_token, rotated.access_token):
        with pytest.raises(InvalidAccessTokenError):
            await _verify(kit, token)
    with pytest.raises(InvalidRefreshTokenError):
        await kit.build(RefreshSession).execute(RefreshSessionCommand(rotated.refresh_token))
    # the other session (another device) is untouched
    assert (await _verify(kit, second.tokens.access_token)).actor.user_id == user_id
    await kit.build(RefreshSession).execute(RefreshSessionCommand(second.tokens.refresh_token))


async def test_logout_with_an_unknown_token_publishes_nothing(kit: Kit) -> None:
    result = await kit.register()
    async with _control_frames(kit, result.user.id) as frames:
        await kit.build(LogOut).execute(LogOutCommand("no-such-token"))
    assert frames == []


async def test_a_session_has_an_absolute_lifetime(kit: Kit) -> None:
    result = await kit.register()
    refresh = kit.build(RefreshSession)
    token = result.tokens.refresh_token
    for _ in range(4):  # rotate every 20 days: each token alone would live 30 days
        kit.clock.advance(days=20)
        token = (await refresh.execute(RefreshSessionCommand(token))).refresh_token
    assert max(t.expires_at for t in kit.store.tokens.values()) == (
        min(t.created_at for t in kit.store.tokens.values()) + kit.sessions.policy.session_max_age
    )
    kit.clock.advance(days=10)  # 90 days after the login
    with pytest.raises(InvalidRefreshTokenError):
        await refresh.execute(RefreshSessionCommand(token))
