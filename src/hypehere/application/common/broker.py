"""Publish/subscribe by topic, used for real-time fan-out across processes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
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


class Broker(Protocol):
    async def publish(self, topic: str, data: bytes) -> None:
        """Deliver to every current subscriber of `topic`, in any process (at most once)."""
        ...

    async def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """`publish` each (topic, data) in order, in one round trip where the broker has
        them (a burst of notification pushes from one outbox batch)."""
        ...

    def subscribe(self, *topics: str) -> AbstractAsyncContextManager[Subscription]:
        """`async with broker.subscribe("a", "b") as sub: async for msg in sub: ...`"""
        ...
