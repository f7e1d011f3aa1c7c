"""`/ws/matching`: my place in the matching queue, and the match.

Server frames: `{"type": "queue_position", "position", "estimated_wait_seconds"}` when my
position changes (checked once a second, so at most one per second per socket; the first
on connect when queued); `{"type": "matched", "conversation_id", "partner":
{native_language, target_languages}}`; `{"type": "expired"}` when `matching-expiry` dropped
my entry. Queueing itself is `POST /api/v1/matching/queue`.

While a socket is open the user holds a presence lease under `matching-socket:{user id}`
(renewed every `LEASE_RENEW_SECONDS`); when their last socket has been gone for
`HYPEHERE_MATCHING_SOCKET_GRACE_SECONDS`, their queue entry is removed: the close is
recorded in the queue store, so any process's matcher or `matching-expiry` removes it even
if this process is gone (`application/matching/disconnects.py`); a local timer makes the
usual case prompt."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Coroutine, Sequence
from typing import Any

import structlog
from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.common.presence import Presence
from hypehere.application.common.topics import matching_user_topic
from hypehere.application.matching.disconnects import socket_presence_key
from hypehere.application.matching.frames import QueuePositionFrame
from hypehere.application.matching.get_queue_status import GetQueueStatus, GetQueueStatusCommand
from hypehere.application.matching.leave_queue import LeaveQueue, LeaveQueueCommand
from hypehere.application.matching.ports import MatchingLimits
from hypehere.application.matching.track_matching_socket import (
    TrackMatchingSocket,
    TrackMatchingSocketCommand,
)
from hypehere.domain.matching.errors import NotQueuedError
from hypehere.domain.shared.errors import DomainError
from hypehere.entrypoints.ws.gateway import Channel, Connection, serve

logger = structlog.get_logger(__name__)

POSITION_INTERVAL_SECONDS = 1.0
LEASE_RENEW_SECONDS = 10.0
LEASE_SECONDS = 30.0


class GraceTimers:
    """The process's pending grace-period checks (cancelled at shutdown: an entry whose
    check never ran is left to `matching-expiry`)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(self, check: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(check)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class MatchingChannel(Channel):
    frames = ()

    def __init__(self) -> None:
        self._watcher: asyncio.Task[None] | None = None
        self._last: int | None = None

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        return [matching_user_topic(conn.user_id)]

    async def on_open(self, conn: Connection, container: AsyncContainer) -> None:
        presence = await conn.container.get(Presence)
        await presence.connect(socket_presence_key(conn.user_id), conn.id, LEASE_SECONDS)
        await _track(conn, opened=True)
        await self._report(conn)
        self._watcher = asyncio.create_task(self._watch(conn), name="ws-queue-position")

    async def on_close(self, conn: Connection) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        presence = await conn.container.get(Presence)
        await presence.disconnect(socket_presence_key(conn.user_id), conn.id)
        await _track(conn, opened=False)
        limits = await conn.container.get(MatchingLimits)
        timers = await conn.container.get(GraceTimers)
        timers.schedule(_drop_after_grace(conn, presence, limits.socket_grace_seconds))

    async def _watch(self, conn: Connection) -> None:
        presence = await conn.container.get(Presence)
        renewed = time.monotonic()
        while not conn.closing:
            await asyncio.sleep(POSITION_INTERVAL_SECONDS)
            await self._report(conn)
            if time.monotonic() - renewed >= LEASE_RENEW_SECONDS:
                renewed = time.monotonic()
                await presence.refresh(socket_presence_key(conn.user_id), conn.id, LEASE_SECONDS)

    async def _report(self, conn: Connection) -> None:
        try:
            async with conn.request_scope() as container:
                uc = await container.get(GetQueueStatus)
                status = await uc.execute(GetQueueStatusCommand(actor=conn.actor))
        except NotQueuedError:
            self._last = None
            return
        if status.position != self._last:
            self._last = status.position
            conn.send(
                QueuePositionFrame(
                    position=status.position,
                    estimated_wait_seconds=status.estimated_wait_seconds,
                )
            )


async def _track(conn: Connection, *, opened: bool) -> None:
    try:
        async with conn.request_scope() as container:
            track = await container.get(TrackMatchingSocket)
            await track.execute(TrackMatchingSocketCommand(actor=conn.actor, opened=opened))
    except (DomainError, OSError) as exc:
        logger.warning("matching_socket_track_failed", opened=opened, error=type(exc).__name__)


async def _drop_after_grace(conn: Connection, presence: Presence, grace_seconds: float) -> None:
    """The user's queue entry goes once no `/ws/matching` socket of theirs is back (in any
    process) after the grace period."""
    try:
        await asyncio.sleep(grace_seconds)
        if await presence.is_online(socket_presence_key(conn.user_id)):
            return
        async with conn.request_scope() as container:
            leave = await container.get(LeaveQueue)
            await leave.execute(LeaveQueueCommand(actor=conn.actor))
    except (DomainError, OSError) as exc:
        logger.warning("matching_grace_drop_failed", error=type(exc).__name__)


@websocket("/ws/matching")
async def matching_socket(socket: WebSocket[Any, Any, Any]) -> None:
    await serve(socket, MatchingChannel())
