"""The `AccessTokenVerifier` port every module's auth dependency uses, implemented by the
users module's `VerifyAccessToken` use case."""

from __future__ import annotations

from hypehere.application.common.auth import AuthenticatedActor
from hypehere.application.users.verify_access_token import (
    VerifyAccessToken,
    VerifyAccessTokenCommand,
)


class UsersAccessTokenVerifier:
    def __init__(self, verify: VerifyAccessToken) -> None:
        self._verify = verify

    async def verify(self, token: str) -> AuthenticatedActor:
        return await self._verify.execute(VerifyAccessTokenCommand(token=token))
