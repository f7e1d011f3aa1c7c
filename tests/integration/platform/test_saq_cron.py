"""Two SAQ workers on the same Redis run a cron job once per tick, not once per worker."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

import pytest
import redis.asyncio as aioredis
from dishka import AsyncContainer

from hypehere.adapters.redis.jobs import SaqRedisQueue
from hypehere.application.common.jobs import JobDefinition
from hypehere.bootstrap.jobs import JobRoute
from hypehere.bootstrap.worker import build_saq_worker
from tests.conftest import flush_redis

pytestmark = pytest.mark.integration

TICKS = "test:cron:ticks"


async def test_two_workers_run_each_cron_tick_once(redis_url: str) -> None:
    await flush_redis(redis_url)
    counter = aioredis.Redis.from_url(redis_url)

    async def count_tick(_container: AsyncContainer, payload: Mapping[str, Any]) -> None:
        await counter.hincrby(TICKS, payload["tick"], 1)

    routes = [JobRoute(JobDefinition("every-second", cron="* * * * * *"), count_tick)]
    queues = [SaqRedisQueue.from_url(redis_url, name="cron-test") for _ in range(2)]
    workers = [
        build_saq_worker(
            queue,
            cast(AsyncContainer, None),
            routes,
            concurrency=2,
            handle_signals=False,
            shutdown_grace_seconds=0,
        )
        for queue in queues
    ]
    for queue in queues:
        await queue.connect()
    tasks = [asyncio.create_task(worker.start()) for worker in workers]
    try:
        async with asyncio.timeout(30):
            while await counter.hlen(TICKS) < 4:  # noqa: ASYNC110 (polling Redis state)
                await asyncio.sleep(0.1)
    finally:
        for worker in workers:
            await worker.stop()
        await asyncio.gather(*tasks)
        for queue in queues:
            await queue.disconnect()
    counts = {key.decode(): int(value) for key, value in (await counter.hgetall(TICKS)).items()}
    await counter.aclose()

    assert len(counts) >= 4
    assert set(counts.values()) == {1}, counts
