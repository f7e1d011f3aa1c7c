"""A per-process cache of what the database says about an account, kept right by the
account-status topic (`application/common/account_caches.py` wires it to the broker).

The mechanics every such cache needs, written once (the account-status cache and the
author-card cache use them):

- a bounded LRU with a TTL, the safety net for a change no broker reported;
- an epoch against filling races: `ticket()` before reading the database, `put(ticket,
  ...)` after; a read that was running while any invalidation arrived is not stored, so a
  value read just before a change cannot outlive it;
- holds: a change about to commit stops this process serving and filling that key until
  its invalidation (or, for a rolled-back change, the TTL);
- an on/off switch: off (the start, a broker outage) it serves and keeps nothing, so every
  read goes to the database, as without a cache."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")

MAX_HOLDS = 4096  # holds kept before expired ones are swept


class InvalidatedCache(Generic[V]):
    def __init__(
        self,
        max_entries: int,
        ttl_seconds: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_entries
        self._ttl = ttl_seconds
        self._now = monotonic
        self._entries: OrderedDict[str, tuple[V, float]] = OrderedDict()
        self._holds: dict[str, float] = {}
        self._epoch = 0
        self._enabled = False
        self.hits = 0
        self.misses = 0
        self.clears = 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    # --- reads --------------------------------------------------------------------------

    def get(self, key: str) -> V | None:
        """The value if it may be served, else None (read the database)."""
        value = self.peek(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def peek(self, key: str) -> V | None:
        """`get` without counting a hit or a miss."""
        entry = self._entries.get(key)
        if entry is None or not self._enabled:
            return None
        if entry[1] <= self._now() or self._held(key):
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def ticket(self) -> int:
        """Take before reading the database; `put` stores only if nothing was invalidated
        meanwhile."""
        return self._epoch

    def storable(self, ticket: int, key: str) -> bool:
        return self._enabled and ticket == self._epoch and self._max > 0 and not self._held(key)

    def put(self, ticket: int, key: str, value: V) -> bool:
        """Store `value` (read after `ticket` was taken) with a fresh TTL; False when it may
        not be kept (see the module docstring)."""
        if not self.storable(ticket, key):
            return False
        self._entries[key] = (value, self._now() + self._ttl)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return True

    # --- changes ------------------------------------------------------------------------

    def hold(self, key: str) -> None:
        self._epoch += 1
        self._entries.pop(key, None)
        if len(self._holds) >= MAX_HOLDS:
            now = self._now()
            self._holds = {k: until for k, until in self._holds.items() if until > now}
        self._holds[key] = self._now() + self._ttl

    def invalidate(self, key: str) -> None:
        self._epoch += 1
        self._entries.pop(key, None)
        self._holds.pop(key, None)

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()
        self.clears += 1

    def enable(self) -> None:
        self.clear()
        self._enabled = True

    def disable(self) -> None:
        self._enabled = False
        self.clear()

    def _held(self, key: str) -> bool:
        until = self._holds.get(key)
        if until is None:
            return False
        if until <= self._now():
            del self._holds[key]
            return False
        return True
