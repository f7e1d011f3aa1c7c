"""Readiness checks Redis when it is configured; settings pick the Broker/Cache adapters."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.cache import InMemoryCache
from hypehere.adapters.redis.broker import RedisBroker
from hypehere.adapters.redis.cache import RedisCache
from hypehere.application.common.broker import Broker
from hypehere.application.common.cache import Cache
from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.container import make_container
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration

BOGUS_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


async def test_ready_checks_redis_when_configured(
    tmp_path: Path, sqlite_url: str, redis_url: str
) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url, redis_url=redis_url)
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["redis"]["ok"] is True


async def test_ready_is_503_naming_redis_when_it_is_down(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url, redis_url=BOGUS_REDIS)
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/health/ready")
        live = await client.get("/health/live")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["redis"]["error"]
    assert body["checks"]["database"]["ok"] is True
    assert live.status_code == 200  # liveness does not depend on Redis


async def test_ready_without_redis_does_not_mention_it(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url)
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database"}


async def test_embedded_adapters_without_redis(tmp_path: Path, sqlite_url: str) -> None:
    container = make_container(make_settings(tmp_path, database_url=sqlite_url), web=False)
    try:
        assert isinstance(await container.get(Broker), InMemoryBroker)
        assert isinstance(await container.get(Cache), InMemoryCache)
    finally:
        await container.close()


async def test_redis_adapters_share_one_client_closed_on_shutdown(
    tmp_path: Path, sqlite_url: str, redis_url: str
) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url, redis_url=redis_url)
    container = make_container(settings, web=False)
    try:
        broker = await container.get(Broker)
        cache = await container.get(Cache)
        client = await container.get(Redis)
        assert isinstance(broker, RedisBroker)
        assert isinstance(cache, RedisCache)
        assert broker._redis is client
        assert cache._redis is client
        assert await container.get(Redis) is client  # APP scope: one per process
        await cache.set("provider-test", b"1", ttl_seconds=5)
        assert await cache.get("provider-test") == b"1"
        pool = client.connection_pool
        assert any(c.is_connected for c in pool._available_connections)
    finally:
        await container.close()
    assert not any(
        c.is_connected for c in pool._available_connections + list(pool._in_use_connections)
    )
