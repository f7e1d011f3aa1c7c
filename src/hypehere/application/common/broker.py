"""Publish/subscribe by topic, used for real-time fan-out across processes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

import msgspec


class BrokerMessage(msgspec.Struct, frozen=True):
    topic: str
    data: bytes


class Subscription(Protocol):
    def __aiter__(self) -> AsyncIterator[BrokerMessage]: ...

    async def add(self, *topics: str) -> None: ...

    async def remove(self, *topics: str) -> None: ...

    @property
    def dropped(self) -> int:
        """Messages this subscription lost because its buffer was full (a consumer that
        must not miss one clears what it derived from them)."""
        ...


class Broker(Protocol):
    async def publish(self, topic: str, data: bytes) -> None:
        """Deliver to every current subscriber of `topic`, in any process (at most once).

        Never waits on the network and never raises for an outage: a networked broker
        queues the message (bounded) and sends what is queued in one round trip, in
        publishing order; what cannot be sent is dropped, counted and logged, and the
        `on_reconnect` callbacks run once publishing works again."""
        ...

    async def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """`publish` each (topic, data) in order (a burst of notification pushes from one
        outbox batch)."""
        ...

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        """Call `callback` as soon as messages may start being lost (the subscriber link
        failed, or a publish is being dropped), once per outage, before the `on_reconnect`
        that ends it: what a subscriber had received until then is complete."""
        ...

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Call `callback` each time the broker is back after losing its connection: the
        messages published meanwhile may be lost, so subscribers should catch up from the
        database. An in-process broker never loses anything and never calls it."""
        ...

    def subscribe(self, *topics: str) -> AbstractAsyncContextManager[Subscription]:
        """`async with broker.subscribe("a", "b") as sub: async for msg in sub: ...`"""
        ...
