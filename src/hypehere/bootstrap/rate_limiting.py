"""Wires rate limiting (policy in `entrypoints/http/rate_limit.py`) from settings: the
budgets, and the counter store (in memory per process, or Redis shared by all processes)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from dishka import AsyncContainer
from litestar import Litestar
from litestar.middleware.base import DefineMiddleware
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis

from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.http.rate_limit import (
    STORE_NAME,
    FailOpenStore,
    RateLimits,
    rate_limit_middleware,
)

REDIS_NAMESPACE = "hypehere_ratelimit"


def rate_limit_middlewares(settings: Settings) -> list[DefineMiddleware]:
    if not settings.rate_limit_enabled:
        return []
    return rate_limit_middleware(
        RateLimits(
            user_per_hour=settings.rate_limit_user_per_hour,
            anon_per_hour=settings.rate_limit_anon_per_hour,
            auth_per_minute=settings.rate_limit_auth_per_minute,
            post_per_minute=settings.rate_limit_post_per_minute,
        )
    )


def rate_limit_lifespan(
    settings: Settings, container: AsyncContainer
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Registers the counter store at startup (the shared Redis client comes from the
    container, which is only usable once the app runs)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.rate_limit_enabled:
            if settings.redis_url:
                redis = await container.get(Redis)
                inner: RedisStore | MemoryStore = RedisStore(
                    redis, namespace=REDIS_NAMESPACE, handle_client_shutdown=False
                )
            else:
                inner = MemoryStore()
            app.stores.register(STORE_NAME, FailOpenStore(inner), allow_override=True)
        yield

    return lifespan
