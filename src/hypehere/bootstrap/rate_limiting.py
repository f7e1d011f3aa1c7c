"""Wires rate limiting (policy in `entrypoints/http/rate_limit.py`) from settings: the
budgets, and at startup the counters (the container's `RateLimiter`: in memory per
process, or Redis shared by all processes) and the access-token codec that vouches for a
request's user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from dishka import AsyncContainer
from litestar import Litestar
from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp

from hypehere.application.analytics.ports import VisitorCounter
from hypehere.application.common.rate_limit import RateLimiter
from hypehere.application.users.ports import AccessTokenCodec
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock
from hypehere.entrypoints.http.rate_limit import (
    RateLimiting,
    RateLimits,
    install,
    rate_limit_middleware,
)
from hypehere.entrypoints.http.visitors import VisitorTracking, visitor_tracking_middleware
from hypehere.entrypoints.http.visitors import install as install_visitor_tracking


def rate_limits(settings: Settings) -> RateLimits:
    return RateLimits(
        user_per_hour=settings.rate_limit_user_per_hour,
        anon_per_hour=settings.rate_limit_anon_per_hour,
        auth_per_minute=settings.rate_limit_auth_per_minute,
        post_per_minute=settings.rate_limit_post_per_minute,
    )


def rate_limit_middlewares(settings: Settings) -> list[DefineMiddleware]:
    if not settings.rate_limit_enabled:
        return []
    return rate_limit_middleware(rate_limits(settings))


def rate_limit_lifespan(
    settings: Settings, container: AsyncContainer
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Installs the counters at startup (the container is only usable once the app runs)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.rate_limit_enabled:
            install(
                app.state,
                RateLimiting(
                    limiter=await container.get(RateLimiter),
                    tokens=await container.get(AccessTokenCodec),
                    clock=await container.get(Clock),
                    limits=rate_limits(settings),
                ),
            )
        yield

    return lifespan


def visitor_tracking_middlewares(settings: Settings) -> list[Callable[[ASGIApp], ASGIApp]]:
    """Daily unique visitors (`entrypoints/http/visitors.py`); shares the token check."""
    return [visitor_tracking_middleware] if settings.visitor_tracking_enabled else []


def visitor_tracking_lifespan(
    settings: Settings, container: AsyncContainer
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.visitor_tracking_enabled:
            install_visitor_tracking(
                app.state,
                VisitorTracking(
                    counter=await container.get(VisitorCounter),
                    tokens=await container.get(AccessTokenCodec),
                    clock=await container.get(Clock),
                ),
            )
        yield

    return lifespan
