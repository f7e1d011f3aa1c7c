"""WebSocket handshakes count against the HTTP rate-limit budgets.

Litestar's `RateLimitMiddleware` only looks at HTTP scopes (it passes `scopes={HTTP}` to
its base class), so a client could open sockets without ever touching its request budget.
Mixed into the rate-limit middleware, this widens it to WebSocket scopes: a handshake is
one request of the per-user (bearer `sub`, or `?token=`) or per-IP budget. A handshake over
the budget is accepted and closed with 4429 (`rate_limited`), the way the gateway refuses
sockets, so the client can read why (a close before accepting reaches browsers as a failed
handshake with no reason).
"""

from __future__ import annotations

from typing import Any

from litestar import WebSocket
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Receive, Scope, Send

CLOSE_RATE_LIMITED = 4429


class CountsWebSocketHandshakes:
    """Put before `RateLimitMiddleware` (or a subclass) in the bases."""

    scopes: Any

    def __init__(self, app: ASGIApp, config: Any) -> None:
        super().__init__(app, config)  # type: ignore[call-arg]
        self.scopes = {ScopeType.HTTP, ScopeType.WEBSOCKET}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.WEBSOCKET:
            await super().__call__(scope, receive, send)  # type: ignore[misc]
            return
        try:
            await super().__call__(scope, receive, send)  # type: ignore[misc]
        except TooManyRequestsException:
            socket: WebSocket[Any, Any, Any] = WebSocket(scope, receive=receive, send=send)
            await socket.accept()
            await socket.close(code=CLOSE_RATE_LIMITED, reason="rate_limited")
