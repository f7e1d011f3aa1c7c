"""Visitor tracking: every HTTP request to a route counts its visitor once per UTC day
(unknown paths and WebSocket handshakes are not counted).

The key is the user id when the request carries a valid access token (the same check as
rate limiting: `rate_limit.verified_subject`, its signature and expiry), else an HMAC of
the client IP and user agent under the day's random salt (`domain/analytics/model.py`).
Keys go to the `VisitorCounter` (a Redis HyperLogLog, or a set in process): no database
write per request and no raw IP anywhere; the `analytics-rollup` job stores the day's count.
Without Redis the set is per process (one process: the embedded default).
`/health` and `/metrics` are not counted. If the counter fails (Redis down), the request is
served uncounted and a warning is logged. `HYPEHERE_VISITOR_TRACKING_ENABLED=false` turns it
off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from hypehere.application.analytics.ports import VisitorCounter
from hypehere.application.users.ports import AccessTokenCodec
from hypehere.domain.analytics.model import visitor_key
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import InvalidAccessTokenError
from hypehere.entrypoints.common.auth import bearer_token
from hypehere.entrypoints.http.rate_limit import STATE_KEY as RATE_LIMIT_STATE_KEY
from hypehere.entrypoints.http.rate_limit import client_ip, verified_subject

log = structlog.get_logger(__name__)

STATE_KEY = "visitor_tracking"
_EXCLUDED = re.compile(r"^/(health|metrics)(/|$)")


@dataclass(frozen=True, slots=True)
class VisitorTracking:
    """What the middleware needs at run time, installed on `app.state` at startup."""

    counter: VisitorCounter
    tokens: AccessTokenCodec
    clock: Clock


def install(state: Any, tracking: VisitorTracking) -> None:
    state[STATE_KEY] = tracking


def _subject(
    connection: ASGIConnection[Any, Any, Any, Any], tracking: VisitorTracking
) -> str | None:
    subject = verified_subject(connection)
    if subject is not None or connection.app.state.get(RATE_LIMIT_STATE_KEY) is not None:
        return subject
    # Rate limiting is off: check the token here, the same way.
    token = bearer_token(connection)
    if token is None or len(token) > 4096:
        return None
    try:
        return tracking.tokens.decode(token, tracking.clock.now()).user_id
    except InvalidAccessTokenError:
        return None


async def count_visit(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    tracking = connection.app.state.get(STATE_KEY)
    if not isinstance(tracking, VisitorTracking):
        return
    try:
        day = tracking.clock.now().date()
        salt = await tracking.counter.daily_salt(day)
        user_agent = connection.headers.get("user-agent", "")
        key = visitor_key(_subject(connection, tracking), client_ip(connection), user_agent, salt)
        await tracking.counter.add(day, key)
    except Exception as exc:  # the counter must never fail a request
        log.warning("visitor_count_failed", error=repr(exc))


def visitor_tracking_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and not _EXCLUDED.match(scope["path"]):
            await count_visit(ASGIConnection(scope))
        await app(scope, receive, send)

    return middleware
