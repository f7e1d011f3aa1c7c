"""Authentication as seen by every module: a bearer token becomes an Actor."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec

from hypehere.application.common.actor import Actor


class AuthenticatedActor(msgspec.Struct, frozen=True):
    actor: Actor
    interface_language: str
    # When the presented token stops being valid, and the session (refresh-token family)
    # it belongs to: a socket closes itself at `expires_at` unless it is sent a fresh token.
    expires_at: datetime | None = None
    session_id: str | None = None


class AccessTokenVerifier(Protocol):
    async def verify(self, token: str) -> AuthenticatedActor:
        """Check signature, expiry and the account's current state.

        Raises an UnauthorizedError (401) for a bad/expired token or a vanished account, and
        a ForbiddenError (403, e.g. `account_suspended`, `account_banned`) when the account
        may no longer act.
        """
        ...
