"""A per-process cache of account status, so an authenticated request makes no database
round trip before its own work.

`VerifyAccessToken` needs the account's state, role, `tokens_valid_after`, interface
language and whether the token's session was revoked: one indexed statement per request
(`SqlAccountStatusReader`). `CachedAccountStatusReader` wraps that reader with
`AccountStatusCache`, which keeps, per user, the last status read and the sessions seen
not revoked. Only statuses that let a request in are kept (an active account, a live
session), so the cache can only ever be wrong by letting in someone it should not; what
prevents that:

- Invalidation through the broker. Every use case that changes a status goes through
  `SessionControl` (`application/common/session_control.py`): it holds this process's
  entry inside the transaction (nothing served or filled for that user until the change is
  published, so the very next request here reads the database), invalidates it after the
  commit, and publishes `AccountStatusChanged` on `account_status_topic()`, which every
  server process subscribes to once (`AccountStatusListener` in
  `application/common/account_caches.py`, which drives the author-card cache too). One
  process-wide topic rather than the per-user `users.user.{id}.sessions`: a subscription
  per cached user would cost a SUBSCRIBE round trip on every miss and an UNSUBSCRIBE on
  every eviction, and a subscribe that silently failed would leave that user's
  invalidations unheard.
- Filling races, holds and the TTL are `InvalidatedCache`'s
  (`application/common/invalidated_cache.py`): a read that was running while any
  invalidation arrived is not stored, so an old status read just before a change cannot
  outlive it.
- Outages: the cache starts disabled and enables only once the listener's probe came back
  through the broker; an outage or a dropped frame empties it (`account_caches.py`).
  Disabled, every request reads the database, as without a cache.
- A TTL (`HYPEHERE_ACCOUNT_STATUS_CACHE_TTL_SECONDS`) as a safety net for what no broker can
  report (an after-commit action dropped by an overloaded process), and a bounded size (LRU).

A suspension that ended by itself (state still `suspended`, `suspended_until` past) is not
cached: the job that lifts it persists the change."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from hypehere.application.common.invalidated_cache import InvalidatedCache
from hypehere.application.users.ports import AccountStatusReader
from hypehere.application.users.views import AccountStatus
from hypehere.domain.users.model import AccountState

MAX_SESSIONS_PER_USER = 16  # sessions remembered as live per cached user


@dataclass(slots=True)
class _Entry:
    status: AccountStatus
    sessions: set[str | None] = field(default_factory=set)


class AccountStatusCache:
    """Admitted statuses, per user with the sessions seen live, in an `InvalidatedCache`
    (LRU, TTL, epoch, holds, on/off: `application/common/invalidated_cache.py`)."""

    def __init__(
        self,
        max_entries: int,
        ttl_seconds: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lru: InvalidatedCache[_Entry] = InvalidatedCache(
            max_entries, ttl_seconds, monotonic=monotonic
        )
        self.hits = 0
        self.misses = 0

    # the control surface the account-status topic drives (`account_caches.py`)

    def hold(self, user_id: str) -> None:
        self._lru.hold(user_id)

    def invalidate(self, user_id: str) -> None:
        self._lru.invalidate(user_id)

    def clear(self) -> None:
        self._lru.clear()

    def enable(self) -> None:
        self._lru.enable()

    def disable(self) -> None:
        self._lru.disable()

    @property
    def enabled(self) -> bool:
        return self._lru.enabled

    @property
    def clears(self) -> int:
        return self._lru.clears

    def __len__(self) -> int:
        return len(self._lru)

    def __contains__(self, user_id: str) -> bool:
        return user_id in self._lru

    def get(self, user_id: str, session_id: str | None) -> AccountStatus | None:
        """The cached status if `session_id` is known live for it, else None (read it)."""
        entry = self._lru.peek(user_id)
        if entry is None or session_id not in entry.sessions:
            self.misses += 1
            return None
        self.hits += 1
        return entry.status

    def ticket(self) -> int:
        """Take before reading the database; `put` stores only if nothing was invalidated
        meanwhile."""
        return self._lru.ticket()

    def put(self, ticket: int, user_id: str, session_id: str | None, status: AccountStatus) -> bool:
        if (
            status.session_revoked
            or status.state != AccountState.ACTIVE.value
            or not self._lru.storable(ticket, user_id)
        ):
            return False
        entry = self._lru.peek(user_id)
        if entry is None or entry.status != status or len(entry.sessions) >= MAX_SESSIONS_PER_USER:
            entry = _Entry(status)
            self._lru.put(ticket, user_id, entry)
        entry.sessions.add(session_id)
        return True


class CachedAccountStatusReader:
    """`AccountStatusReader` that asks `inner` (the database) only on a cache miss."""

    def __init__(self, cache: AccountStatusCache, inner: AccountStatusReader) -> None:
        self._cache = cache
        self._inner = inner

    async def status(self, user_id: str, session_id: str | None = None) -> AccountStatus | None:
        cached = self._cache.get(user_id, session_id)
        if cached is not None:
            return cached
        ticket = self._cache.ticket()
        status = await self._inner.status(user_id, session_id)
        if status is not None:
            self._cache.put(ticket, user_id, session_id, status)
        return status
