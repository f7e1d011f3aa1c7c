"""Bearer-token authentication for controllers: inject `actor` (required) or `maybe_actor`.

The token check itself is the users module's `AccessTokenVerifier` (resolved from the
request's dishka container), so every module authenticates the same way."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import Provide

from hypehere.application.common.actor import Actor
from hypehere.application.common.auth import AccessTokenVerifier
from hypehere.domain.shared.errors import UnauthorizedError
from hypehere.entrypoints.common.auth import bearer_token


class NotAuthenticatedError(UnauthorizedError):
    code = "not_authenticated"


async def authenticate(connection: ASGIConnection[Any, Any, Any, Any], token: str) -> Actor:
    verifier = await connection.state.dishka_container.get(AccessTokenVerifier)
    authenticated = await verifier.verify(token)
    connection.state.interface_language = authenticated.interface_language
    connection.state.actor = authenticated.actor
    actor: Actor = authenticated.actor
    return actor


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    token = bearer_token(request)
    if token is None:
        raise NotAuthenticatedError("Authentication is required.")
    return await authenticate(request, token)


async def provide_maybe_actor(request: Request[Any, Any, Any]) -> Actor | None:
    token = bearer_token(request)
    if token is None:
        return None
    return await authenticate(request, token)


AUTH_DEPENDENCIES = {
    "actor": Provide(provide_actor),
    "maybe_actor": Provide(provide_maybe_actor),
}
