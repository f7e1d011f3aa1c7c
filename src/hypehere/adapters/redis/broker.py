"""Redis pub/sub broker: delivery across processes (WebSocket fan-out).

One Redis pub/sub connection per process, shared by every local subscription: a topic is
SUBSCRIBEd upstream when its first local subscriber arrives and UNSUBSCRIBEd when the last
one leaves; a reader task fans incoming messages out to the local subscriptions. When the
connection drops (Redis restart), the reader reconnects with backoff and re-subscribes every
topic still wanted. Delivery is at most once: messages published while the connection is
down are lost, like Redis pub/sub itself.

Redis pub/sub channels ignore the database number, so channels carry a prefix (the provider
derives it from the database) to keep deployments sharing one server apart.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hypehere.adapters.memory.broker import DEFAULT_BUFFER, FanoutHub, QueueSubscription
from hypehere.application.common.errors import StorageUnavailableError

logger = structlog.get_logger(__name__)

_DISCONNECTS = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


class RedisBroker:
    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "hypehere:",
        max_buffer: int = DEFAULT_BUFFER,
        confirm_timeout: float = 5.0,
        max_backoff: float = 5.0,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._max_buffer = max_buffer
        self._confirm_timeout = confirm_timeout
        self._max_backoff = max_backoff
        self._hub = FanoutHub()
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._confirmed: set[str] = set()  # channels Redis confirmed on the current connection
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._lock = asyncio.Lock()
        self._closed = False
        self.reconnects = 0

    # --- publishing ---------------------------------------------------------------------

    async def publish(self, topic: str, data: bytes) -> None:
        try:
            await self._redis.publish(self._prefix + topic, data)
        except RedisError as exc:
            logger.warning("broker_publish_failed", topic=topic, error=type(exc).__name__)
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """One pipeline (no MULTI): every PUBLISH in one write and one round trip."""
        if not messages:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for topic, data in messages:
                    pipe.publish(self._prefix + topic, data)
                await pipe.execute()
        except RedisError as exc:
            logger.warning("broker_publish_failed", topics=len(messages), error=type(exc).__name__)
            raise StorageUnavailableError("Redis is unavailable.") from exc

    # --- subscribing --------------------------------------------------------------------

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[QueueSubscription]:
        subscription = QueueSubscription(self._add, self._remove, self._max_buffer)
        await subscription.add(*topics)
        try:
            yield subscription
        finally:
            await self._remove(subscription, tuple(subscription.topics))
            subscription.close()

    async def _add(self, subscription: QueueSubscription, topics: tuple[str, ...]) -> None:
        if self._closed:
            raise RuntimeError("broker is closed")
        async with self._lock:
            self._hub.attach(subscription, topics)
            missing = [t for t in topics if self._prefix + t not in self._confirmed]
            waiters = [self._waiter(self._prefix + t) for t in missing]
            if missing:
                await self._send("subscribe", missing)
        if waiters:
            # Return only once Redis confirmed: a publish after `add` is then delivered.
            _done, pending = await asyncio.wait(waiters, timeout=self._confirm_timeout)
            for waiter in pending:
                waiter.cancel()
            if pending:
                logger.warning("broker_subscribe_unconfirmed", topics=missing)

    async def _remove(self, subscription: QueueSubscription, topics: tuple[str, ...]) -> None:
        async with self._lock:
            emptied = self._hub.detach(subscription, topics)
            if emptied and not self._closed:
                for topic in emptied:
                    self._confirmed.discard(self._prefix + topic)
                await self._send("unsubscribe", emptied)

    def _waiter(self, channel: str) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(channel, []).append(future)
        return future

    async def _send(self, command: str, topics: list[str]) -> None:
        """(Un)subscribe upstream; when Redis is down the reader re-subscribes on reconnect."""
        channels = [self._prefix + t for t in topics]
        try:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub()
            await getattr(self._pubsub, command)(*channels)
        except _DISCONNECTS as exc:
            logger.warning("broker_subscribe_failed", command=command, error=type(exc).__name__)
        if self._reader is None and command == "subscribe":
            self._reader = asyncio.create_task(self._read_forever(), name="redis-broker-reader")

    # --- the reader ---------------------------------------------------------------------

    async def _read_forever(self) -> None:
        backoff = 0.1
        while not self._closed:
            try:
                await self._read_until_error()
            except asyncio.CancelledError:
                raise
            except (*_DISCONNECTS, RuntimeError) as exc:
                logger.warning("broker_connection_lost", error=type(exc).__name__)
            except Exception:  # never let the fan-out die silently
                logger.exception("broker_reader_failed")
            if self._closed:
                return
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self._max_backoff)
            if await self._reconnect():
                backoff = 0.1

    async def _read_until_error(self) -> None:
        while not self._closed:
            pubsub = self._pubsub
            if pubsub is None or pubsub.connection is None:
                raise RedisConnectionError("pub/sub connection not established")
            message = await pubsub.get_message(timeout=1.0)
            if message is not None:
                self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        channel = _text(message["channel"])
        if kind == "message":
            if channel.startswith(self._prefix):
                self._hub.dispatch(channel[len(self._prefix) :], message["data"])
        elif kind == "subscribe":
            self._confirmed.add(channel)
            for waiter in self._waiters.pop(channel, []):
                if not waiter.done():
                    waiter.set_result(None)
        elif kind == "unsubscribe":
            self._confirmed.discard(channel)

    async def _reconnect(self) -> bool:
        async with self._lock:
            old, self._pubsub = self._pubsub, None
            self._confirmed.clear()
            if old is not None:
                with contextlib.suppress(Exception):
                    await old.aclose()  # type: ignore[no-untyped-call]
            topics = self._hub.topics
            pubsub = self._redis.pubsub()
            try:
                if topics:
                    await pubsub.subscribe(*[self._prefix + t for t in topics])
                else:
                    await pubsub.ping()
            except _DISCONNECTS as exc:
                logger.info("broker_reconnect_failed", error=type(exc).__name__)
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                return False
            self._pubsub = pubsub
            self.reconnects += 1
            logger.info("broker_reconnected", topics=len(topics))
            return True

    # --- lifecycle ----------------------------------------------------------------------

    async def aclose(self) -> None:
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()  # type: ignore[no-untyped-call]
        for waiters in self._waiters.values():
            for waiter in waiters:
                waiter.cancel()
        self._waiters.clear()


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return value or ""
