"""In-process cache with expiry measured on a Clock (so tests advance time, not sleep)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from hypehere.domain.shared.clock import Clock


class InMemoryCache:
    def __init__(self, clock: Clock, max_entries: int = 100_000) -> None:
        self._clock = clock
        self._max_entries = max_entries
        self._data: dict[str, tuple[bytes, datetime | None]] = {}

    def _live(self, key: str) -> tuple[bytes, datetime | None] | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires_at = entry[1]
        if expires_at is not None and expires_at <= self._clock.now():
            del self._data[key]
            return None
        return entry

    def _expiry(self, ttl_seconds: int | None) -> datetime | None:
        if ttl_seconds is None:
            return None
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        return self._clock.now() + timedelta(seconds=ttl_seconds)

    def _make_room(self) -> None:
        if len(self._data) < self._max_entries:
            return
        now = self._clock.now()
        for key in [k for k, (_, exp) in self._data.items() if exp is not None and exp <= now]:
            del self._data[key]
        while len(self._data) >= self._max_entries:  # still full: drop the oldest entry
            del self._data[next(iter(self._data))]

    async def get(self, key: str) -> bytes | None:
        entry = self._live(key)
        return None if entry is None else entry[0]

    async def set(self, key: str, value: bytes, ttl_seconds: int | None = None) -> None:
        expires_at = self._expiry(ttl_seconds)
        self._data.pop(key, None)
        self._make_room()
        self._data[key] = (bytes(value), expires_at)

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return [await self.get(key) for key in keys]

    async def set_many(self, items: Mapping[str, bytes], ttl_seconds: int | None = None) -> None:
        self._expiry(ttl_seconds)  # validates before anything is written
        for key, value in items.items():
            await self.set(key, value, ttl_seconds)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    async def incr(self, key: str, amount: int = 1, ttl_seconds: int | None = None) -> int:
        entry = self._live(key)
        if entry is None:
            self._make_room()
            value, expires_at = amount, self._expiry(ttl_seconds)
        else:
            try:
                value = int(entry[0]) + amount
            except ValueError as exc:
                raise ValueError(f"cache value at {key!r} is not an integer") from exc
            expires_at = entry[1]
        self._data[key] = (str(value).encode(), expires_at)
        return value
