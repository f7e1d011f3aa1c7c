"""Wiring of the notifications use cases over in-memory fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import msgspec

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.notifications import (
    InMemoryAudience,
    InMemoryNotificationSettings,
    InMemoryNotificationStore,
    InMemoryUserDirectory,
)
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.common.broker import BrokerMessage
from hypehere.application.common.views import UserCard
from hypehere.application.notifications.compose import ComposeAndPublish, NotificationComposer
from hypehere.application.notifications.publish import NotificationPublisher


class RecordingBroker:
    """Keeps what was published, decoded, per topic."""

    def __init__(self) -> None:
        self.published: list[BrokerMessage] = []
        self.calls = 0  # round trips a real broker would make

    async def publish(self, topic: str, data: bytes) -> None:
        self.calls += 1
        self.published.append(BrokerMessage(topic=topic, data=data))

    async def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        self.calls += 1
        self.published.extend(BrokerMessage(topic=t, data=d) for t, d in messages)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Any]:
        raise NotImplementedError
        yield

    def frames(self, topic: str) -> list[dict[str, Any]]:
        return [msgspec.json.decode(m.data) for m in self.published if m.topic == topic]


class SettledUnitOfWork(InMemoryUnitOfWork):
    """Its commit returns once the after-commit actions have run (in production they run
    in the background), so a test can look at the broker right after a use case."""

    async def commit(self) -> None:
        await super().commit()
        await self.settle()


class World:
    def __init__(self) -> None:
        self.clock = FixedClock()
        self.uow = SettledUnitOfWork()
        self.directory = InMemoryUserDirectory()
        self.audience = InMemoryAudience()
        self.store = InMemoryNotificationStore(self.directory)
        self.settings = InMemoryNotificationSettings()
        self.broker = RecordingBroker()
        self.composer = NotificationComposer(self.store, self.settings, self.audience, self.clock)
        self.publisher = NotificationPublisher(self.broker, self.store, self.directory, self.uow)
        self.run = ComposeAndPublish(self.uow, self.composer, self.publisher)
        for name in ("alice", "bob", "carol", "dave", "erin"):
            self.directory.put(UserCard(id=name, handle=name, nickname=name.title()))
            self.audience.add_user(name)

    def of(self, recipient: str) -> list[Any]:
        return sorted(
            (n for n in self.store.rows.values() if n.recipient_id == recipient),
            key=lambda n: n.created_at,
        )
