"""Presence: which users have at least one live connection, across every process.

Each WebSocket connection registers itself (`connect`) and refreshes its lease on every
heartbeat (`refresh`); a connection whose process died without `disconnect` drops out when
its lease expires. A user is online while any of their connections holds a lease.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Presence(Protocol):
    async def connect(self, user_id: str, connection_id: str, ttl_seconds: float) -> None:
        """Start (or renew) this connection's lease for `ttl_seconds`."""
        ...

    async def refresh(self, user_id: str, connection_id: str, ttl_seconds: float) -> None:
        """Renew the lease; same as `connect`."""
        ...

    async def disconnect(self, user_id: str, connection_id: str) -> None: ...

    async def is_online(self, user_id: str) -> bool: ...

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        """The subset of `user_ids` that is online now."""
        ...
