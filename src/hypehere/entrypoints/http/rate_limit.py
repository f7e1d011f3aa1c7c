"""Rate limiting, on Litestar's own `RateLimitMiddleware` (one instance per budget).

Budgets (settings in parentheses; `HYPEHERE_RATE_LIMIT_ENABLED=false` turns all of them off):
- every HTTP request to a route: per user per hour (`HYPEHERE_RATE_LIMIT_USER_PER_HOUR`,
  1000) when it carries a valid access token, else per client IP per hour
  (`HYPEHERE_RATE_LIMIT_ANON_PER_HOUR`, 100);
- routes marked `opt={"rate_limit": "auth"}` (login, register, password reset ...) also get
  `HYPEHERE_RATE_LIMIT_AUTH_PER_MINUTE` per client IP AND per `email` field of the JSON body
  (case-insensitive), so one address cannot be brute-forced from many IPs;
- routes marked `opt={"rate_limit": "post"}` (creating posts, comments, reports, chat
  messages, conversations and rooms, joining rooms ...) also get
  `HYPEHERE_RATE_LIMIT_POST_PER_MINUTE` per user (per IP when anonymous);
- room password attempts have their own budget per room and user
  (`HYPEHERE_RATE_LIMIT_ROOM_PASSWORD_ATTEMPTS` per `..._WINDOW_SECONDS`), counted by the
  join use case (`application/chat/join_room.py`) on the same `RateLimiter`;
- routes marked `opt={"rate_limit": "exempt"}` are never counted. `/health/*` and `/metrics`
  are always exempt; a WebSocket handshake counts as one request (over the budget: accepted,
  then closed with 4429; `rate_limit_handshakes.py`); unknown paths (404) and
  wrong methods (405) never reach a route, so they are not counted either.

Mark a route like this (the key may also sit on a Controller or Router, handlers inherit it):

    @post("/auth/login", opt={"rate_limit": "auth"})
    @post("/posts", opt={"rate_limit": "post"})

A request over a budget gets 429 problem+json, code `rate_limited`, with `Retry-After`
(seconds until the window resets) and the `RateLimit-*` headers.

Counting: Litestar's semantics (a fixed window that starts at a key's first counted request;
refused requests are not counted) on the `RateLimiter` port, one atomic check-and-count per
budget (a Redis script when Redis is configured, so every process shares the budgets; a dict
per process otherwise). No lock: concurrent requests never wait for each other. If Redis is
slow or down, the request is served uncounted (fail open) and a warning is logged.

The user key is the bearer token's `sub` claim, trusted only after the token's signature
and expiry check out (the real codec, one HMAC); any other token counts against its IP's
anonymous budget, so a forged token never gets a fresh budget.

The client IP is the ASGI client address: behind a reverse proxy, uvicorn sets it from
`X-Forwarded-For` when the proxy's address is in `HYPEHERE_FORWARDED_ALLOW_IPS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import (
    DURATION_VALUES,
    DurationUnit,
    RateLimitConfig,
    RateLimitMiddleware,
)
from litestar.types import Message, Receive, Scope, Send

from hypehere.application.common.rate_limit import RateLimitDecision, RateLimiter
from hypehere.application.users.ports import AccessTokenCodec
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import InvalidAccessTokenError
from hypehere.entrypoints.common.auth import bearer_token
from hypehere.entrypoints.http.rate_limit_handshakes import CountsWebSocketHandshakes

RATE_LIMIT_OPT = "rate_limit"
AUTH = "auth"
POST = "post"
EXEMPT = "exempt"
STATE_KEY = "rate_limiting"
EXCLUDED_PATHS = [r"^/health(/|$)", r"^/metrics(/|$)"]

_EMAIL_SCOPE_KEY = "_hypehere_rate_limit_email"
_RECEIVE_SCOPE_KEY = "_hypehere_rate_limit_receive"
_SUBJECT_SCOPE_KEY = "_hypehere_rate_limit_subject"
_NO_SUBJECT = ""


@dataclass(frozen=True, slots=True)
class RateLimits:
    user_per_hour: int
    anon_per_hour: int
    auth_per_minute: int
    post_per_minute: int


@dataclass(frozen=True, slots=True)
class RateLimiting:
    """What the budgets need at run time, installed on `app.state` once the app starts."""

    limiter: RateLimiter
    tokens: AccessTokenCodec
    clock: Clock
    limits: RateLimits


def install(state: Any, rate_limiting: RateLimiting) -> None:
    state[STATE_KEY] = rate_limiting


def _installed(connection: ASGIConnection[Any, Any, Any, Any]) -> RateLimiting | None:
    value = connection.app.state.get(STATE_KEY)
    return value if isinstance(value, RateLimiting) else None


def verified_subject(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The user id of the connection's access token when its signature and expiry check out
    (cached in the scope: every budget of a request asks)."""
    scope: Any = connection.scope
    cached = scope.get(_SUBJECT_SCOPE_KEY)
    if cached is not None:
        return str(cached) or None
    subject = _NO_SUBJECT
    token = bearer_token(connection)
    rate_limiting = _installed(connection)
    if token is not None and rate_limiting is not None and len(token) <= 4096:
        try:
            subject = rate_limiting.tokens.decode(token, rate_limiting.clock.now()).user_id
        except InvalidAccessTokenError:
            subject = _NO_SUBJECT
    scope[_SUBJECT_SCOPE_KEY] = subject
    return subject or None


def client_ip(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return connection.client.host if connection.client else "127.0.0.1"


def general_budget_key(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, bool]:
    """The general budget's counter key, and whether it is a user's (else an IP's)."""
    subject = verified_subject(connection)
    if subject is not None:
        return f"user:{subject}", True
    return f"anon:{client_ip(connection)}", False


class BudgetMiddleware(RateLimitMiddleware):
    """Litestar's middleware with the counting replaced: one atomic `RateLimiter.hit` per
    request instead of reading, extending and writing back the timestamp list under a
    per-process lock. The config's `identifier_for_request` returns the counter key.

    Also keeps `receive` reachable, so the per-email budget can read the JSON body (Litestar
    caches the body for the handler)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_RECEIVE_SCOPE_KEY] = receive  # type: ignore[literal-required]
        app = scope["litestar_app"]
        request: Request[Any, Any, Any] = app.request_class(scope)
        rate_limiting = _installed(request)
        if rate_limiting is not None and await self.should_check_request(request=request):
            key = str(self.get_identifier_for_request(request))
            decision = await rate_limiting.limiter.hit(
                key, self.max_requests, DURATION_VALUES[self.unit]
            )
            if decision.enforced:
                headers = self.decision_headers(decision)
                if not decision.allowed:
                    raise TooManyRequestsException(
                        headers={**headers, "Retry-After": str(decision.retry_after)}
                    )
                if self.config.set_rate_limit_headers:
                    send = self._with_headers(send, headers)
        await self.app(scope, receive, send)

    def decision_headers(self, decision: RateLimitDecision) -> dict[str, str]:
        """The IETF draft headers Litestar sets, from one decision."""
        config = self.config
        return {
            config.rate_limit_policy_header_key: (
                f"{self.max_requests}; w={DURATION_VALUES[self.unit]}"
            ),
            config.rate_limit_limit_header_key: str(self.max_requests),
            config.rate_limit_remaining_header_key: str(decision.remaining),
            config.rate_limit_reset_header_key: str(decision.retry_after),
        }

    @staticmethod
    def _with_headers(send: Send, headers: dict[str, str]) -> Send:
        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                mutable = MutableScopeHeaders(message)
                for name, value in headers.items():
                    mutable[name] = value
            await send(message)

        return send_wrapper


def _route_kind(request: Request[Any, Any, Any]) -> str | None:
    handler = request.scope.get("route_handler")
    opt = getattr(handler, "opt", None) or {}
    value = opt.get(RATE_LIMIT_OPT)
    return str(value) if value else None


def _who(request: Request[Any, Any, Any]) -> str:
    subject = verified_subject(request)
    return f"user:{subject}" if subject else f"ip:{client_ip(request)}"


async def _counted(request: Request[Any, Any, Any]) -> bool:
    return _route_kind(request) != EXEMPT


async def _counted_user(request: Request[Any, Any, Any]) -> bool:
    return await _counted(request) and verified_subject(request) is not None


async def _counted_anonymous(request: Request[Any, Any, Any]) -> bool:
    return await _counted(request) and verified_subject(request) is None


async def _is_auth_route(request: Request[Any, Any, Any]) -> bool:
    return _route_kind(request) == AUTH


async def _is_auth_route_with_email(request: Request[Any, Any, Any]) -> bool:
    if _route_kind(request) != AUTH:
        return False
    receive: Receive | None = request.scope.get(_RECEIVE_SCOPE_KEY)  # type: ignore[assignment]
    if receive is None:
        return False
    reader: Request[Any, Any, Any] = Request(request.scope, receive=receive)
    body = await reader.body()  # cached in the scope: the handler reads it again for free
    try:
        payload = msgspec.json.decode(body) if body else None
    except msgspec.DecodeError:
        return False  # the handler answers 400; the per-IP budget still counts it
    email = payload.get("email") if isinstance(payload, dict) else None
    if not isinstance(email, str) or not email.strip():
        return False
    request.scope[_EMAIL_SCOPE_KEY] = email.strip().lower()[:320]  # type: ignore[literal-required]
    return True


async def _is_post_route(request: Request[Any, Any, Any]) -> bool:
    return _route_kind(request) == POST


class HandshakeCountingBudgetMiddleware(CountsWebSocketHandshakes, BudgetMiddleware):
    """`BudgetMiddleware` that also counts WebSocket handshakes (`rate_limit_handshakes.py`)."""


def _config(
    unit: DurationUnit,
    limit: int,
    identifier: Any,
    check: Any,
) -> DefineMiddleware:
    return RateLimitConfig(
        rate_limit=(unit, limit),
        exclude=EXCLUDED_PATHS,
        identifier_for_request=identifier,
        check_throttle_handler=check,
        middleware_class=HandshakeCountingBudgetMiddleware,
    ).middleware


def rate_limit_middleware(limits: RateLimits) -> list[DefineMiddleware]:
    """The budgets as Litestar middleware, outermost (general budget) first. They count only
    once `install` has put a `RateLimiting` on the app's state (at startup)."""
    return [
        _config("hour", limits.user_per_hour, lambda r: general_budget_key(r)[0], _counted_user),
        _config(
            "hour", limits.anon_per_hour, lambda r: general_budget_key(r)[0], _counted_anonymous
        ),
        _config(
            "minute", limits.auth_per_minute, lambda r: f"auth-ip:{client_ip(r)}", _is_auth_route
        ),
        _config(
            "minute",
            limits.auth_per_minute,
            lambda r: f"auth-email:{r.scope.get(_EMAIL_SCOPE_KEY)}",
            _is_auth_route_with_email,
        ),
        _config("minute", limits.post_per_minute, lambda r: f"post:{_who(r)}", _is_post_route),
    ]
