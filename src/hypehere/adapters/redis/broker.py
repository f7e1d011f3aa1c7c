"""Redis pub/sub broker: delivery across processes (WebSocket fan-out).

One Redis pub/sub connection per process, shared by every local subscription: a topic is
SUBSCRIBEd upstream when its first local subscriber arrives and UNSUBSCRIBEd when the last
one leaves; a reader task fans incoming messages out to the local subscriptions. When the
connection drops (Redis restart), the reader reconnects with backoff and re-subscribes every
topic still wanted. Delivery is at most once: messages published while the connection is
down are lost, like Redis pub/sub itself; the `on_reconnect` callbacks then run (the
gateway tells every socket to catch up from the database).

Publishing never waits on Redis: `publish` queues the message (at most `max_pending`;
beyond, it is dropped and counted) and one flusher task sends everything queued in ONE
pipeline, in publishing order, so a burst of after-commit pushes costs one round trip. A
batch Redis refuses is dropped (counted, logged); once a later batch goes through, the
`on_reconnect` callbacks run, since subscribers missed what was dropped.

Redis pub/sub channels ignore the database number, so channels carry a prefix (the provider
derives it from the database) to keep deployments sharing one server apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hypehere.adapters.memory.broker import DEFAULT_BUFFER, FanoutHub, QueueSubscription

logger = structlog.get_logger(__name__)

_DISCONNECTS = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)

DEFAULT_MAX_PENDING = 10_000  # queued publishes; beyond, new ones are dropped (counted)
MAX_PIPELINE = 1_000  # publishes per pipeline round trip


class RedisBroker:
    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "hypehere:",
        max_buffer: int = DEFAULT_BUFFER,
        confirm_timeout: float = 5.0,
        max_backoff: float = 2.0,
        max_pending: int = DEFAULT_MAX_PENDING,
        publish_timeout: float = 2.0,
        liveness_seconds: float = 5.0,
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
        self.links_lost = 0  # times the reader found its connection gone or hung
        self._outgoing: deque[tuple[str, bytes]] = deque()
        self._max_pending = max_pending
        self._publish_timeout = publish_timeout
        self._liveness = liveness_seconds
        self._flusher: asyncio.Task[None] | None = None
        self._publish_failing = False
        self._reconnect_callbacks: list[Callable[[], None]] = []
        self._disconnect_callbacks: list[Callable[[], None]] = []
        self._in_outage = False
        self._resync_pending: set[str] = set()  # channels to confirm before telling anyone
        self.published = 0  # messages Redis accepted
        self.dropped = 0  # messages given up: queue full or refused by Redis

    @property
    def pending_publishes(self) -> int:
        return len(self._outgoing)

    @property
    def pending_waiters(self) -> int:
        """Subscriptions waiting for Redis to confirm a channel (bounded by the timeout)."""
        return sum(len(waiters) for waiters in self._waiters.values())

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        self._disconnect_callbacks.append(callback)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        self._reconnect_callbacks.append(callback)

    def _outage_started(self, cause: str) -> None:
        if self._in_outage:
            return
        self._in_outage = True
        logger.warning("broker_outage", cause=cause)
        _call_all(self._disconnect_callbacks)

    def _notify_reconnect(self, cause: str) -> None:
        self._in_outage = False
        logger.info("broker_resync", cause=cause, callbacks=len(self._reconnect_callbacks))
        _call_all(self._reconnect_callbacks)

    # --- publishing ---------------------------------------------------------------------

    async def publish(self, topic: str, data: bytes) -> None:
        self._enqueue(((topic, data),))

    async def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        self._enqueue(messages)

    def _enqueue(self, messages: Sequence[tuple[str, bytes]]) -> None:
        if not messages or self._closed:
            return
        room = self._max_pending - len(self._outgoing)
        if room < len(messages):
            self._outage_started("publish_queue_full")
            self._publish_failing = True
            self._drop(len(messages) - max(room, 0), "queue_full")
            messages = messages[: max(room, 0)]
        self._outgoing.extend((self._prefix + topic, data) for topic, data in messages)
        if self._flusher is None and self._outgoing:
            self._flusher = asyncio.create_task(self._flush(), name="redis-broker-publisher")

    def _drop(self, count: int, reason: str) -> None:
        self.dropped += count
        logger.warning("broker_publish_dropped", messages=count, reason=reason, total=self.dropped)

    async def _flush(self) -> None:
        """Send what is queued, one pipeline (no MULTI) per round trip, until nothing is."""
        try:
            while self._outgoing:
                count = min(len(self._outgoing), MAX_PIPELINE)
                batch = [self._outgoing.popleft() for _ in range(count)]
                try:
                    async with asyncio.timeout(self._publish_timeout):
                        async with self._redis.pipeline(transaction=False) as pipe:
                            for channel, data in batch:
                                pipe.publish(channel, data)
                            await pipe.execute()
                except (RedisError, OSError, TimeoutError) as exc:
                    self._outage_started("publish_failed")
                    self._publish_failing = True
                    self._drop(len(batch), type(exc).__name__)
                    continue
                self.published += len(batch)
                if self._publish_failing:
                    self._publish_failing = False
                    self._notify_reconnect("publish_recovered")
        finally:
            self._flusher = None

    async def flush(self) -> None:
        """Wait until every queued publish was sent or dropped (tests, shutdown)."""
        while self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)

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
            waiters = [(self._prefix + t, self._waiter(self._prefix + t)) for t in missing]
            if missing and not await self._send("subscribe", missing):
                # Redis is down: the reader subscribes on reconnect (and the reconnect
                # callbacks tell subscribers to catch up); nothing to wait for now.
                self._forget(waiters)
                return
        if waiters:
            # Return only once Redis confirmed: a publish after `add` is then delivered.
            _done, pending = await asyncio.wait(
                [w for _, w in waiters], timeout=self._confirm_timeout
            )
            if pending:
                self._forget(waiters)
                logger.warning("broker_subscribe_unconfirmed", topics=missing)

    async def _remove(self, subscription: QueueSubscription, topics: tuple[str, ...]) -> None:
        async with self._lock:
            emptied = self._hub.detach(subscription, topics)
            if emptied and not self._closed:
                waiting_for = len(self._resync_pending)
                for topic in emptied:
                    self._confirmed.discard(self._prefix + topic)
                    self._resync_pending.discard(self._prefix + topic)
                if waiting_for and not self._resync_pending:
                    self._notify_reconnect("subscriber_reconnected")
                await self._send("unsubscribe", emptied)

    def _forget(self, waiters: list[tuple[str, asyncio.Future[None]]]) -> None:
        """Cancel and remove unconfirmed waiters (they never pile up during an outage)."""
        for channel, waiter in waiters:
            waiter.cancel()
            remaining = [w for w in self._waiters.get(channel, []) if w is not waiter]
            if remaining:
                self._waiters[channel] = remaining
            else:
                self._waiters.pop(channel, None)

    def _waiter(self, channel: str) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(channel, []).append(future)
        return future

    async def _send(self, command: str, topics: list[str]) -> bool:
        """(Un)subscribe upstream; when Redis is down the reader re-subscribes on reconnect.
        False if the command could not be sent."""
        channels = [self._prefix + t for t in topics]
        sent = True
        try:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub()
            async with asyncio.timeout(self._confirm_timeout):
                await getattr(self._pubsub, command)(*channels)
        except Exception as exc:
            # also redis-py's AttributeError on a link the reader tore down under it: either
            # way the command did not go out
            logger.warning("broker_subscribe_failed", command=command, error=type(exc).__name__)
            sent = False
        if self._reader is None and command == "subscribe":
            self._reader = asyncio.create_task(self._read_forever(), name="redis-broker-reader")
        return sent

    # --- the reader ---------------------------------------------------------------------

    async def _read_forever(self) -> None:
        backoff = 0.1
        while not self._closed:
            try:
                await self._read_until_error()
            except asyncio.CancelledError:
                raise
            except (*_DISCONNECTS, RuntimeError, TimeoutError) as exc:
                self.links_lost += 1
                logger.warning("broker_connection_lost", error=type(exc).__name__)
                self._outage_started("subscriber_link_lost")
            except Exception:  # never let the fan-out die silently
                logger.exception("broker_reader_failed")
            if self._closed:
                return
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self._max_backoff)
            if await self._reconnect():
                backoff = 0.1

    async def _read_until_error(self) -> None:
        """Read and fan out until the link fails. A link silent for `liveness_seconds` is
        PINGed, and one that does not answer within as long again is given up (a hung
        Redis or a dead route never says so by itself): the reader then reconnects."""
        heard = time.monotonic()
        pinged: float | None = None
        while not self._closed:
            pubsub = self._pubsub
            if pubsub is None or pubsub.connection is None:
                raise RedisConnectionError("pub/sub connection not established")
            message = await pubsub.get_message(timeout=min(1.0, self._liveness))
            now = time.monotonic()
            if message is not None:
                heard, pinged = now, None
                self._handle(message)
            elif pinged is not None and now - pinged >= self._liveness:
                raise RedisTimeoutError("no answer to PING on the pub/sub connection")
            elif pinged is None and now - heard >= self._liveness:
                async with asyncio.timeout(self._liveness):
                    await pubsub.ping()
                pinged = now

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        channel = _text(message["channel"])
        if kind == "message":
            if channel.startswith(self._prefix):
                self._hub.dispatch(channel[len(self._prefix) :], message["data"])
        elif kind == "subscribe":
            self._confirmed.add(channel)
            if self._resync_pending:
                self._resync_pending.discard(channel)
                if not self._resync_pending:
                    self._notify_reconnect("subscriber_reconnected")
            for waiter in self._waiters.pop(channel, []):
                if not waiter.done():
                    waiter.set_result(None)
        elif kind == "unsubscribe":
            self._confirmed.discard(channel)

    async def _reconnect(self) -> bool:
        async with self._lock:
            old, self._pubsub = self._pubsub, None
            self._confirmed.clear()
            self._resync_pending = set()
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
            # Subscribers are told to catch up once Redis confirmed every channel again, so
            # nothing published after they caught up can fall in a gap.
            self._resync_pending = {self._prefix + t for t in topics}
        if not topics:
            self._notify_reconnect("subscriber_reconnected")
        return True

    # --- lifecycle ----------------------------------------------------------------------

    async def aclose(self) -> None:
        if self._flusher is not None:  # what is queued goes out first (bounded)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._publish_timeout):
                    await self.flush()
        self._closed = True
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._flusher
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


def _call_all(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:
            logger.exception("broker_callback_failed")


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return value or ""
