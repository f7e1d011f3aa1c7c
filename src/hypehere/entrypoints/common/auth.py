"""Access-token extraction, the same for HTTP requests and WebSocket handshakes."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """`Authorization: Bearer <token>`; a WebSocket may pass `?token=<token>` instead
    (browsers cannot set headers on a WebSocket handshake)."""
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if connection.scope["type"] == ScopeType.WEBSOCKET:
        return connection.query_params.get("token") or None
    return None
