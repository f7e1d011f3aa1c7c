"""Rate limiting, on Litestar's own `RateLimitMiddleware` (one instance per budget).

Budgets (settings in parentheses; `HYPEHERE_RATE_LIMIT_ENABLED=false` turns all of them off):
- every HTTP request to a route: per user per hour (`HYPEHERE_RATE_LIMIT_USER_PER_HOUR`,
  1000) when it carries a bearer token, else per client IP per hour
  (`HYPEHERE_RATE_LIMIT_ANON_PER_HOUR`, 100);
- routes marked `opt={"rate_limit": "auth"}` (login, register, password reset ...) also get
  `HYPEHERE_RATE_LIMIT_AUTH_PER_MINUTE` per client IP AND per `email` field of the JSON body
  (case-insensitive), so one address cannot be brute-forced from many IPs;
- routes marked `opt={"rate_limit": "post"}` (creating posts, comments, reports ...) also get
  `HYPEHERE_RATE_LIMIT_POST_PER_MINUTE` per user (per IP when anonymous);
- routes marked `opt={"rate_limit": "exempt"}` are never counted. `/health/*` and `/metrics`
  are always exempt; a WebSocket handshake counts as one request (over the budget: accepted,
  then closed with 4429; `rate_limit_handshakes.py`); unknown paths (404) and
  wrong methods (405) never reach a route, so they are not counted either.

Mark a route like this (the key may also sit on a Controller or Router, handlers inherit it):

    @post("/auth/login", opt={"rate_limit": "auth"})
    @post("/posts", opt={"rate_limit": "post"})

A request over a budget gets 429 problem+json, code `rate_limited`, with `Retry-After`
(seconds until the window resets) and the `RateLimit-*` headers.

Counters live in the Litestar store named `rate_limit`: in memory per process by default,
Litestar's `RedisStore` when Redis is configured, so every process shares the budgets. The
store is wrapped to fail open: if Redis is down requests are served (and a warning logged)
rather than failing with 500.

The user key is the bearer token's `sub` claim, read WITHOUT verifying the signature (this is
only a counter key; the request itself is authenticated by the handler). A token that is not
a JWT with a `sub` counts against its IP's anonymous budget.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import msgspec
import structlog
from litestar import Request
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import (
    DurationUnit,
    RateLimitConfig,
    RateLimitMiddleware,
    get_remote_address,
)
from litestar.stores.base import Store
from litestar.types import Receive, Scope, Send

from hypehere.entrypoints.common.auth import bearer_token
from hypehere.entrypoints.http.rate_limit_handshakes import CountsWebSocketHandshakes

logger = structlog.get_logger(__name__)

RATE_LIMIT_OPT = "rate_limit"
AUTH = "auth"
POST = "post"
EXEMPT = "exempt"
STORE_NAME = "rate_limit"
EXCLUDED_PATHS = [r"^/health(/|$)", r"^/metrics(/|$)"]

_EMAIL_SCOPE_KEY = "_hypehere_rate_limit_email"
_RECEIVE_SCOPE_KEY = "_hypehere_rate_limit_receive"


class BodyAwareRateLimitMiddleware(CountsWebSocketHandshakes, RateLimitMiddleware):
    """Litestar's middleware builds its Request without `receive`; keep it reachable so the
    per-email budget can read the JSON body (Litestar caches the body for the handler)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_RECEIVE_SCOPE_KEY] = receive  # type: ignore[literal-required]
        await super().__call__(scope, receive, send)


@dataclass(frozen=True, slots=True)
class RateLimits:
    user_per_hour: int
    anon_per_hour: int
    auth_per_minute: int
    post_per_minute: int


def _route_kind(request: Request[Any, Any, Any]) -> str | None:
    handler = request.scope.get("route_handler")
    opt = getattr(handler, "opt", None) or {}
    value = opt.get(RATE_LIMIT_OPT)
    return str(value) if value else None


def bearer_subject(request: Request[Any, Any, Any]) -> str | None:
    """The `sub` claim of a bearer JWT, unverified (a counter key, not authentication)."""
    token = bearer_token(request)
    if token is None:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = msgspec.json.decode(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        return None
    sub = claims.get("sub") if isinstance(claims, dict) else None
    if isinstance(sub, str) and 0 < len(sub) <= 200:
        return sub
    return None


def _client(request: Request[Any, Any, Any]) -> str:
    return get_remote_address(request)


def _who(request: Request[Any, Any, Any]) -> str:
    subject = bearer_subject(request)
    return f"user:{subject}" if subject else f"ip:{_client(request)}"


async def _counted(request: Request[Any, Any, Any]) -> bool:
    return _route_kind(request) != EXEMPT


async def _counted_user(request: Request[Any, Any, Any]) -> bool:
    return await _counted(request) and bearer_subject(request) is not None


async def _counted_anonymous(request: Request[Any, Any, Any]) -> bool:
    return await _counted(request) and bearer_subject(request) is None


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
        store=STORE_NAME,
        middleware_class=BodyAwareRateLimitMiddleware,
    ).middleware


def rate_limit_middleware(limits: RateLimits) -> list[DefineMiddleware]:
    """The budgets as Litestar middleware, outermost (general budget) first."""
    return [
        _config("hour", limits.user_per_hour, lambda r: f"user:{bearer_subject(r)}", _counted_user),
        _config("hour", limits.anon_per_hour, lambda r: f"anon:{_client(r)}", _counted_anonymous),
        _config(
            "minute", limits.auth_per_minute, lambda r: f"auth-ip:{_client(r)}", _is_auth_route
        ),
        _config(
            "minute",
            limits.auth_per_minute,
            lambda r: f"auth-email:{r.scope.get(_EMAIL_SCOPE_KEY)}",
            _is_auth_route_with_email,
        ),
        _config("minute", limits.post_per_minute, lambda r: f"post:{_who(r)}", _is_post_route),
    ]


class FailOpenStore(Store):
    """Wraps the counter store so an outage of it (Redis down) never turns into a 500."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Store) -> None:
        self._inner = inner

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        try:
            await self._inner.set(key, value, expires_in)
        except Exception as exc:
            logger.warning("rate_limit_store_unavailable", error=type(exc).__name__)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        try:
            return await self._inner.get(key, renew_for)
        except Exception as exc:
            logger.warning("rate_limit_store_unavailable", error=type(exc).__name__)
            return None

    async def delete(self, key: str) -> None:
        await self._inner.delete(key)

    async def delete_all(self) -> None:
        await self._inner.delete_all()

    async def exists(self, key: str) -> bool:
        return await self._inner.exists(key)

    async def expires_in(self, key: str) -> int | None:
        return await self._inner.expires_in(key)
