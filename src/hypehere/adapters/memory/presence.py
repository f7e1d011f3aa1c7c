"""Presence in this process (the embedded default): leases kept in a dict, read by the clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from hypehere.domain.shared.clock import Clock


class InMemoryPresence:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._leases: dict[str, dict[str, datetime]] = {}

    async def connect(self, user_id: str, connection_id: str, ttl_seconds: float) -> None:
        expires = self._clock.now() + timedelta(seconds=ttl_seconds)
        self._leases.setdefault(user_id, {})[connection_id] = expires

    async def refresh(self, user_id: str, connection_id: str, ttl_seconds: float) -> None:
        await self.connect(user_id, connection_id, ttl_seconds)

    async def disconnect(self, user_id: str, connection_id: str) -> None:
        leases = self._leases.get(user_id)
        if leases is None:
            return
        leases.pop(connection_id, None)
        if not leases:
            del self._leases[user_id]

    async def is_online(self, user_id: str) -> bool:
        now = self._clock.now()
        leases = self._leases.get(user_id, {})
        for connection_id, expires in list(leases.items()):
            if expires <= now:
                del leases[connection_id]
        if not leases:
            self._leases.pop(user_id, None)
            return False
        return True

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        return {user_id for user_id in set(user_ids) if await self.is_online(user_id)}
