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
  server process subscribes to once (`AccountStatusListener`). One process-wide topic rather
  than the per-user `users.user.{id}.sessions`: a subscription per cached user would cost a
  SUBSCRIBE round trip on every miss and an UNSUBSCRIBE on every eviction, and a subscribe
  that silently failed would leave that user's invalidations unheard.
- Filling races: a read that was running while any invalidation arrived is not stored (the
  cache's epoch moved), so an old status read just before a change cannot outlive it.
- Outages: the cache starts disabled and enables only once its own probe came back through
  the broker (the subscription is live end to end). When the broker reports an outage
  (`on_disconnect`), the cache is cleared and disabled; on `on_reconnect` it stays disabled
  until a fresh probe comes back. A frame the subscription dropped (full buffer) clears
  everything too. Disabled, every request reads the database, as without a cache.
- A TTL (`HYPEHERE_ACCOUNT_STATUS_CACHE_TTL_SECONDS`) as a safety net for what no broker can
  report (an after-commit action dropped by an overloaded process), and a bounded size (LRU).

A suspension that ended by itself (state still `suspended`, `suspended_until` past) is not
cached: the job that lifts it persists the change."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec
import structlog

from hypehere.application.common.broker import Broker
from hypehere.application.common.sessions import AccountStatusChanged
from hypehere.application.common.topics import account_status_topic
from hypehere.application.users.ports import AccountStatusReader
from hypehere.application.users.views import AccountStatus
from hypehere.domain.users.model import AccountState

logger = structlog.get_logger(__name__)

MAX_SESSIONS_PER_USER = 16  # sessions remembered as live per cached user
MAX_HOLDS = 4096  # holds kept before expired ones are swept

_decoder = msgspec.json.Decoder(AccountStatusChanged)


@dataclass(slots=True)
class _Entry:
    status: AccountStatus
    expires_at: float
    sessions: set[str | None] = field(default_factory=set)


class AccountStatusCache:
    """Bounded LRU of admitted statuses with a TTL, an epoch against filling races, holds
    for changes being committed, and an on/off switch driven by the broker's health."""

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
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
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

    # --- reads --------------------------------------------------------------------------

    def get(self, user_id: str, session_id: str | None) -> AccountStatus | None:
        """The cached status if `session_id` is known live for it, else None (read it)."""
        entry = self._entries.get(user_id)
        if entry is None or not self._enabled or session_id not in entry.sessions:
            self.misses += 1
            return None
        if entry.expires_at <= self._now() or self._held(user_id):
            del self._entries[user_id]
            self.misses += 1
            return None
        self._entries.move_to_end(user_id)
        self.hits += 1
        return entry.status

    def ticket(self) -> int:
        """Take before reading the database; `put` stores only if nothing was invalidated
        meanwhile."""
        return self._epoch

    def put(self, ticket: int, user_id: str, session_id: str | None, status: AccountStatus) -> bool:
        if (
            not self._enabled
            or ticket != self._epoch
            or self._max <= 0
            or status.session_revoked
            or status.state != AccountState.ACTIVE.value
            or self._held(user_id)
        ):
            return False
        entry = self._entries.get(user_id)
        if (
            entry is None
            or entry.status != status
            or len(entry.sessions) >= MAX_SESSIONS_PER_USER
            or entry.expires_at <= self._now()
        ):
            entry = _Entry(status, self._now() + self._ttl)
            self._entries[user_id] = entry
        entry.sessions.add(session_id)
        self._entries.move_to_end(user_id)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return True

    # --- changes ------------------------------------------------------------------------

    def hold(self, user_id: str) -> None:
        self._epoch += 1
        self._entries.pop(user_id, None)
        if len(self._holds) >= MAX_HOLDS:
            now = self._now()
            self._holds = {u: until for u, until in self._holds.items() if until > now}
        self._holds[user_id] = self._now() + self._ttl

    def invalidate(self, user_id: str) -> None:
        self._epoch += 1
        self._entries.pop(user_id, None)
        self._holds.pop(user_id, None)

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

    def _held(self, user_id: str) -> bool:
        until = self._holds.get(user_id)
        if until is None:
            return False
        if until <= self._now():
            del self._holds[user_id]
            return False
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


class AccountStatusListener:
    """This process's one subscription to `account_status_topic()`: drops what changed,
    and switches the cache on only while the subscription is known to be live (see the
    module docstring). `start` at startup, `stop` at shutdown."""

    def __init__(
        self,
        cache: AccountStatusCache,
        broker: Broker,
        *,
        probe_seconds: float = 2.0,
        retry_seconds: float = 1.0,
    ) -> None:
        self._cache = cache
        self._broker = broker
        self._probe_seconds = probe_seconds
        self._retry_seconds = retry_seconds
        self._nonce = ""
        self._task: asyncio.Task[None] | None = None
        self._prober: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        broker.on_disconnect(self._outage)
        broker.on_reconnect(self._reprobe)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="account-status-listener")

    async def stop(self) -> None:
        self._cache.disable()
        for task in (self._prober, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._task = self._prober = None

    def _outage(self) -> None:
        """Messages may be lost from now on: nothing cached can be trusted."""
        self._cache.disable()

    def _reprobe(self) -> None:
        """The broker is back, but what was published meanwhile is lost: start over from
        the database, and switch on again once a fresh probe comes back."""
        self._cache.disable()
        self._start_prober()

    def _start_prober(self) -> None:
        """A new probe (a new nonce: one sent before an outage proves nothing after it)."""
        if self._prober is not None:
            self._prober.cancel()
        self._nonce = uuid.uuid4().hex
        self._prober = asyncio.get_running_loop().create_task(
            self._probe(), name="account-status-probe"
        )

    async def _probe(self) -> None:
        """Publish the probe until it comes back (the listener enables the cache then)."""
        await self._subscribed.wait()
        while not self._cache.enabled:
            frame = AccountStatusChanged(probe=self._nonce)
            with contextlib.suppress(Exception):
                await self._broker.publish(account_status_topic(), msgspec.json.encode(frame))
            await asyncio.sleep(self._probe_seconds)

    async def _run(self) -> None:
        while True:
            try:
                async with self._broker.subscribe(account_status_topic()) as subscription:
                    self._subscribed.set()
                    self._start_prober()
                    dropped = subscription.dropped
                    async for message in subscription:
                        if subscription.dropped != dropped:
                            dropped = subscription.dropped
                            logger.warning("account_status_frames_dropped")
                            self._cache.clear()
                        self._handle(message.data)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("account_status_subscription_failed", error=type(exc).__name__)
            finally:
                self._subscribed.clear()
                self._cache.disable()
            await asyncio.sleep(self._retry_seconds)

    def _handle(self, data: bytes) -> None:
        try:
            frame = _decoder.decode(data)
        except msgspec.MsgspecError:
            logger.warning("account_status_bad_frame")
            return
        if frame.user_id:
            self._cache.invalidate(frame.user_id)
        elif frame.probe and frame.probe == self._nonce and not self._cache.enabled:
            self._cache.enable()
