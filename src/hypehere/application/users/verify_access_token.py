"""Check a bearer token: signature, expiry, and the account's current state (one primary-key
lookup), so a ban takes effect at the next request. Every module's auth dependency reaches
it through the `AccessTokenVerifier` port (`adapters/modules/users_auth.py`).

Revocation rides on the same lookup, at no extra round trip: the account's
`tokens_valid_after` (set by a password change, ban, suspension, deactivation or deletion)
refuses every token issued before it, and the token's session (`sid`, its refresh-token
family) is refused once that family has been revoked (logout). Reading the family's state in
the status statement (an indexed EXISTS next to the primary-key read) costs one index probe
per request; the alternatives were a per-session row in the cache (a second round trip, and
a lost write would resurrect the session) or a deny-list of token ids (unbounded, and every
process must see it)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.auth import AuthenticatedActor
from hypehere.application.users.ports import AccessTokenCodec, AccountStatusReader
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import (
    AccountBannedError,
    AccountInactiveError,
    AccountSuspendedError,
    InvalidAccessTokenError,
)
from hypehere.domain.users.model import AccountState


class VerifyAccessTokenCommand(msgspec.Struct, frozen=True):
    token: str


class VerifyAccessToken:
    def __init__(
        self, codec: AccessTokenCodec, accounts: AccountStatusReader, clock: Clock
    ) -> None:
        self._codec = codec
        self._accounts = accounts
        self._clock = clock

    async def execute(self, cmd: VerifyAccessTokenCommand) -> AuthenticatedActor:
        now = self._clock.now()
        claims = self._codec.decode(cmd.token, now)
        status = await self._accounts.status(claims.user_id, claims.session_id)
        if status is None:
            raise InvalidAccessTokenError("The access token is not valid")
        state = AccountState(status.state)
        if state is AccountState.BANNED:
            raise AccountBannedError("The account is banned")
        if state is AccountState.SUSPENDED:
            # An expired suspension counts as lifted right away (the job persists it).
            if status.suspended_until is not None and status.suspended_until > now:
                raise AccountSuspendedError(status.suspended_until)
        elif state is not AccountState.ACTIVE:
            raise AccountInactiveError("The account is not active")
        if status.tokens_valid_after is not None and claims.issued_at < status.tokens_valid_after:
            raise InvalidAccessTokenError("The access token has been revoked")
        if status.session_revoked:
            raise InvalidAccessTokenError("The session has ended")
        try:
            role = Role(status.role)
        except ValueError:
            role = Role.MEMBER
        return AuthenticatedActor(
            actor=Actor(user_id=status.user_id, role=role),
            interface_language=status.interface_language,
            expires_at=claims.expires_at,
            session_id=claims.session_id,
        )
