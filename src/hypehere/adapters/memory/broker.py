"""In-process publish/subscribe (the embedded default), plus the local fan-out that the Redis
broker reuses: each subscription owns a bounded buffer, so a slow consumer drops its own
messages (at most once) and never blocks a publisher or the other subscribers."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager

import structlog

from hypehere.application.common.broker import BrokerMessage

logger = structlog.get_logger(__name__)

DEFAULT_BUFFER = 1024


class QueueSubscription:
    """One subscriber: a bounded buffer fed by the hub, iterated by the consumer."""

    def __init__(
        self,
        on_add: Callable[[QueueSubscription, tuple[str, ...]], Awaitable[None]],
        on_remove: Callable[[QueueSubscription, tuple[str, ...]], Awaitable[None]],
        max_buffer: int = DEFAULT_BUFFER,
    ) -> None:
        self.topics: set[str] = set()
        self._on_add = on_add
        self._on_remove = on_remove
        self._buffer: deque[BrokerMessage] = deque()
        self._max_buffer = max_buffer
        self._wakeup = asyncio.Event()
        self._closed = False
        self.dropped = 0

    @property
    def closed(self) -> bool:
        return self._closed

    async def add(self, *topics: str) -> None:
        if self._closed:
            raise RuntimeError("subscription is closed")
        await self._on_add(self, topics)

    async def remove(self, *topics: str) -> None:
        if self._closed:
            return
        await self._on_remove(self, topics)

    def deliver(self, message: BrokerMessage) -> None:
        if self._closed:
            return
        if len(self._buffer) >= self._max_buffer:
            self.dropped += 1
            logger.warning("broker_message_dropped", topic=message.topic, dropped=self.dropped)
            return
        self._buffer.append(message)
        self._wakeup.set()

    def close(self) -> None:
        self._closed = True
        self._buffer.clear()
        self._wakeup.set()

    def __aiter__(self) -> AsyncIterator[BrokerMessage]:
        return self

    async def __anext__(self) -> BrokerMessage:
        while not self._buffer:
            if self._closed:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._buffer.popleft()


class FanoutHub:
    """topic -> local subscriptions. Reports which topics gained their first subscriber or
    lost their last one, so a networked broker knows what to (un)subscribe upstream."""

    def __init__(self) -> None:
        self._by_topic: dict[str, set[QueueSubscription]] = {}

    @property
    def topics(self) -> list[str]:
        return list(self._by_topic)

    def subscriber_count(self, topic: str) -> int:
        return len(self._by_topic.get(topic, ()))

    def attach(self, subscription: QueueSubscription, topics: Iterable[str]) -> list[str]:
        first = []
        for topic in topics:
            subscribers = self._by_topic.setdefault(topic, set())
            if not subscribers:
                first.append(topic)
            subscribers.add(subscription)
            subscription.topics.add(topic)
        return first

    def detach(self, subscription: QueueSubscription, topics: Iterable[str]) -> list[str]:
        emptied = []
        for topic in topics:
            subscription.topics.discard(topic)
            subscribers = self._by_topic.get(topic)
            if subscribers is None:
                continue
            subscribers.discard(subscription)
            if not subscribers:
                del self._by_topic[topic]
                emptied.append(topic)
        return emptied

    def dispatch(self, topic: str, data: bytes) -> int:
        subscribers = self._by_topic.get(topic, ())
        message = BrokerMessage(topic=topic, data=data)
        for subscription in list(subscribers):
            subscription.deliver(message)
        return len(subscribers)


class InMemoryBroker:
    """Delivers to subscribers in this process only (one uvicorn process, tests)."""

    def __init__(self, max_buffer: int = DEFAULT_BUFFER) -> None:
        self._hub = FanoutHub()
        self._max_buffer = max_buffer

    async def publish(self, topic: str, data: bytes) -> None:
        self._hub.dispatch(topic, data)

    async def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        for topic, data in messages:
            self._hub.dispatch(topic, data)

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        """Nothing to lose: in-process delivery is never cut off."""

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Nothing to reconnect: in-process delivery is never cut off."""

    async def _add(self, subscription: QueueSubscription, topics: tuple[str, ...]) -> None:
        self._hub.attach(subscription, topics)

    async def _remove(self, subscription: QueueSubscription, topics: tuple[str, ...]) -> None:
        self._hub.detach(subscription, topics)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[QueueSubscription]:
        subscription = QueueSubscription(self._add, self._remove, self._max_buffer)
        await subscription.add(*topics)
        try:
            yield subscription
        finally:
            self._hub.detach(subscription, list(subscription.topics))
            subscription.close()
