"""A small key-value cache with expiry (Redis in production, a dict when embedded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int | None = None) -> None: ...

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The values of `keys`, in order (None where missing), in one round trip."""
        ...

    async def set_many(self, items: Mapping[str, bytes], ttl_seconds: int | None = None) -> None:
        """Set every key (with the same expiry) in one round trip."""
        ...

    async def delete(self, *keys: str) -> None: ...

    async def incr(self, key: str, amount: int = 1, ttl_seconds: int | None = None) -> int:
        """Atomically add to an integer counter; `ttl_seconds` applies when it is created."""
        ...
