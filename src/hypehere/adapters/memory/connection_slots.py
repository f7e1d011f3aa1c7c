"""Connection slots in this process (the embedded default): leases in a dict, read by the
clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypehere.domain.shared.clock import Clock


class InMemoryConnectionSlots:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._slots: dict[str, dict[str, datetime]] = {}

    def _live(self, key: str) -> dict[str, datetime]:
        now = self._clock.now()
        slots = self._slots.get(key, {})
        for connection_id, expires in list(slots.items()):
            if expires <= now:
                del slots[connection_id]
        return slots

    async def acquire(self, key: str, connection_id: str, limit: int, ttl_seconds: float) -> bool:
        slots = self._live(key)
        if connection_id not in slots and len(slots) >= limit:
            return False
        slots[connection_id] = self._clock.now() + timedelta(seconds=ttl_seconds)
        self._slots[key] = slots
        return True

    async def refresh(self, key: str, connection_id: str, ttl_seconds: float) -> None:
        slots = self._live(key)
        if connection_id in slots:
            slots[connection_id] = self._clock.now() + timedelta(seconds=ttl_seconds)

    async def release(self, key: str, connection_id: str) -> None:
        slots = self._slots.get(key)
        if slots is None:
            return
        slots.pop(connection_id, None)
        if not slots:
            del self._slots[key]

    async def count(self, key: str) -> int:
        slots = self._live(key)
        if not slots:
            self._slots.pop(key, None)
        return len(slots)
