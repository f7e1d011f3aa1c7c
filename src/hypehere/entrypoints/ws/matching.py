"""`/ws/matching`: my place in the matching queue, and the match.

Server frames: `{"type": "queue_position", "position", "estimated_wait_seconds"}` when my
position changes (checked once a second, so at most one per second per socket; the first
on connect when queued); `{"type": "matched", "conversation_id", "partner":
{native_language, target_languages}}`; `{"type": "expired"}` when `matching-expiry` dropped
my entry. Queueing itself is `POST /api/v1/matching/queue`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer
from litestar import WebSocket, websocket

from hypehere.application.common.topics import matching_user_topic
from hypehere.application.matching.frames import QueuePositionFrame
from hypehere.application.matching.get_queue_status import GetQueueStatus, GetQueueStatusCommand
from hypehere.domain.matching.errors import NotQueuedError
from hypehere.entrypoints.ws.gateway import Channel, Connection, serve

POSITION_INTERVAL_SECONDS = 1.0


class MatchingChannel(Channel):
    frames = ()

    def __init__(self) -> None:
        self._watcher: asyncio.Task[None] | None = None
        self._last: int | None = None

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        return [matching_user_topic(conn.user_id)]

    async def on_open(self, conn: Connection, container: AsyncContainer) -> None:
        await self._report(conn)
        self._watcher = asyncio.create_task(self._watch(conn), name="ws-queue-position")

    async def on_close(self, conn: Connection) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher

    async def _watch(self, conn: Connection) -> None:
        while not conn.closing:
            await asyncio.sleep(POSITION_INTERVAL_SECONDS)
            await self._report(conn)

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


@websocket("/ws/matching")
async def matching_socket(socket: WebSocket[Any, Any, Any]) -> None:
    await serve(socket, MatchingChannel())
