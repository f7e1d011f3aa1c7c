"""Live session control for WebSockets: what keeps a socket's authentication current after
the handshake.

- `SessionHub` (one per process): ONE broker subscription per user with open sockets in
  this process, on `user_sessions_topic(user_id)`; a `SessionsRevoked` frame on it closes
  that user's sockets here (only those of `session_id` when it is set) with the frame's
  `close_code`. Sockets of the same user share the subscription (fanned out locally).
- `SessionGuard` (one per socket): the socket's current token, its expiry and session. The
  gateway closes the socket with 4401 at `expires_at` unless the client sent a fresh token
  (`{"type": "auth", "token"}`), and re-verifies the token (account state) and the
  channel's membership on a timer (`ws_reverify_seconds`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Protocol

import msgspec
import structlog

from hypehere.application.common.auth import AuthenticatedActor
from hypehere.application.common.broker import Broker
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.topics import user_sessions_topic

logger = structlog.get_logger(__name__)

_decoder = msgspec.json.Decoder(SessionsRevoked)


class SessionGuard:
    """One socket's authentication: the token it was last given, until when it holds, and
    which session (refresh-token family) it belongs to."""

    def __init__(self, token: str, authenticated: AuthenticatedActor) -> None:
        self.token = token
        self.expires_at: datetime | None = authenticated.expires_at
        self.session_id: str | None = authenticated.session_id
        self.changed = asyncio.Event()

    def renew(self, token: str, authenticated: AuthenticatedActor) -> None:
        """A fresh token for the same user: move the deadline (wakes the session timer)."""
        self.token = token
        self.expires_at = authenticated.expires_at
        self.session_id = authenticated.session_id
        self.changed.set()

    def seconds_left(self) -> float | None:
        """Seconds until the token expires; None when the verifier gave no expiry."""
        if self.expires_at is None:
            return None
        expires_at = self.expires_at
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
        return (expires_at - datetime.now(UTC)).total_seconds()

    def matches(self, revoked: SessionsRevoked) -> bool:
        return revoked.session_id is None or revoked.session_id == self.session_id


class Revocable(Protocol):
    """What the hub needs of a connection (the gateway's `Connection` fits)."""

    guard: SessionGuard

    def close(self, code: int, reason: str = "") -> None: ...


class _UserWatch:
    def __init__(self) -> None:
        self.members: set[Revocable] = set()
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.task: asyncio.Task[None] | None = None


class SessionHub:
    """This process's subscriptions to the users' session-control topics: one per user with
    at least one open socket here, shared by that user's sockets."""

    def __init__(self, broker: Broker) -> None:
        self._broker = broker
        self._watches: dict[str, _UserWatch] = {}

    def __len__(self) -> int:
        """Live subscriptions (users watched) in this process."""
        return len(self._watches)

    @asynccontextmanager
    async def watch(self, user_id: str, conn: Revocable) -> AsyncIterator[None]:
        """While inside, `conn` is closed by a `SessionsRevoked` for `user_id`. Returns once
        the subscription is live (raises what the broker raised if it cannot subscribe)."""
        watch = self._watches.get(user_id)
        if watch is None:
            watch = self._watches[user_id] = _UserWatch()
            watch.task = asyncio.create_task(self._listen(user_id, watch), name="ws-sessions")
        watch.members.add(conn)
        try:
            await asyncio.shield(watch.ready)
            yield
        finally:
            watch.members.discard(conn)
            if not watch.members and self._watches.get(user_id) is watch:
                del self._watches[user_id]
                if watch.task is not None:
                    watch.task.cancel()

    async def _listen(self, user_id: str, watch: _UserWatch) -> None:
        try:
            async with self._broker.subscribe(user_sessions_topic(user_id)) as subscription:
                if not watch.ready.done():
                    watch.ready.set_result(None)
                async for message in subscription:
                    self._deliver(watch, message.data)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not watch.ready.done():
                watch.ready.set_exception(exc)
                with contextlib.suppress(Exception):
                    watch.ready.exception()  # retrieved: no "never retrieved" warning
            else:
                # The sockets stay open; their timer re-verifies them (a later socket of
                # this user starts a new subscription).
                logger.warning("ws_sessions_subscription_lost", error=type(exc).__name__)
        finally:
            if self._watches.get(user_id) is watch:
                del self._watches[user_id]

    @staticmethod
    def _deliver(watch: _UserWatch, data: bytes) -> None:
        try:
            revoked = _decoder.decode(data)
        except msgspec.MsgspecError:
            logger.warning("ws_bad_sessions_frame")
            return
        for conn in list(watch.members):
            if conn.guard.matches(revoked):
                conn.close(revoked.close_code, revoked.reason[:100])
