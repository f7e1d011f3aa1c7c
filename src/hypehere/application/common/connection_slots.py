"""Caps on concurrently open connections (WebSockets per user, per client IP), across every
process.

A connection takes a slot under a key (`user:{id}`, `ip:{addr}`) when it opens, renews it
on its heartbeat and gives it back when it closes. A slot is a lease: the slots of a
process that died without giving them back stop counting when their lease expires.
"""

from __future__ import annotations

from typing import Protocol


class ConnectionSlots(Protocol):
    async def acquire(self, key: str, connection_id: str, limit: int, ttl_seconds: float) -> bool:
        """Take a slot under `key` for `ttl_seconds` unless `limit` live slots are taken
        (False). Atomic: two connections racing for the last slot cannot both get it.
        Taking a slot this connection already holds renews it and succeeds."""
        ...

    async def refresh(self, key: str, connection_id: str, ttl_seconds: float) -> None:
        """Renew a held slot (no-op when it is not held any more)."""
        ...

    async def release(self, key: str, connection_id: str) -> None: ...

    async def count(self, key: str) -> int:
        """Live slots under `key`."""
        ...
