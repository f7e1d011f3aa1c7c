"""The account-status topic's one subscriber per process, and the caches it keeps right.

Two per-process caches hold what the database says about accounts: the account status
every authenticated request needs (`application/users/account_status_cache.py`) and the
author cards a timeline page shows beside each post (`author_cards.py`). Both are
invalidated by the same frames: `SessionControl` publishes `AccountStatusChanged` on
`account_status_topic()` after every committed change of an account's status or public card
(and holds and invalidates this process's entries itself), and `AccountStatusListener`, the
process's one subscription, drops the user from every cache in `AccountCaches`.

Outages: the caches start disabled and enable only once the listener's own probe came back
through the broker (the subscription is live end to end). When the broker reports an
outage (`on_disconnect`), they are cleared and disabled; on `on_reconnect` they stay
disabled until a fresh probe comes back. A frame the subscription dropped (full buffer)
clears everything too. Disabled, every read goes to the database, as without a cache."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec
import structlog

from hypehere.application.common.broker import Broker
from hypehere.application.common.sessions import AccountStatusChanged
from hypehere.application.common.topics import account_status_topic

logger = structlog.get_logger(__name__)

_decoder = msgspec.json.Decoder(AccountStatusChanged)


class BrokerInvalidated(Protocol):
    """A cache the account-status topic keeps right (see `InvalidatedCache`)."""

    @property
    def enabled(self) -> bool: ...

    def hold(self, user_id: str) -> None: ...

    def invalidate(self, user_id: str) -> None: ...

    def clear(self) -> None: ...

    def enable(self) -> None: ...

    def disable(self) -> None: ...


class AccountCaches:
    """Every cache of this process that holds account data, driven as one."""

    def __init__(self, caches: Sequence[BrokerInvalidated]) -> None:
        self._caches = tuple(caches)

    @property
    def enabled(self) -> bool:
        return all(cache.enabled for cache in self._caches)

    def hold(self, user_id: str) -> None:
        for cache in self._caches:
            cache.hold(user_id)

    def invalidate(self, user_id: str) -> None:
        for cache in self._caches:
            cache.invalidate(user_id)

    def clear(self) -> None:
        for cache in self._caches:
            cache.clear()

    def enable(self) -> None:
        for cache in self._caches:
            cache.enable()

    def disable(self) -> None:
        for cache in self._caches:
            cache.disable()


class AccountStatusListener:
    """This process's one subscription to `account_status_topic()`: drops what changed,
    and switches the caches on only while the subscription is known to be live (see the
    module docstring). `start` at startup, `stop` at shutdown."""

    def __init__(
        self,
        cache: BrokerInvalidated,
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
