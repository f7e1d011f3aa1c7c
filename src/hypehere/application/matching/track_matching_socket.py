"""A `/ws/matching` socket opened or closed: keep the queue store's record of when the
user's last socket went away (see `disconnects.py`)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.presence import Presence
from hypehere.application.matching.disconnects import socket_presence_key
from hypehere.application.matching.ports import MatchingQueue
from hypehere.domain.shared.clock import Clock


class TrackMatchingSocketCommand(msgspec.Struct, frozen=True):
    actor: Actor
    opened: bool


class TrackMatchingSocket:
    def __init__(self, queue: MatchingQueue, presence: Presence, clock: Clock) -> None:
        self._queue = queue
        self._presence = presence
        self._clock = clock

    async def execute(self, cmd: TrackMatchingSocketCommand) -> None:
        """Call after the presence lease was taken (opened) or given back (closed)."""
        user_id = cmd.actor.user_id
        if cmd.opened:
            await self._queue.socket_opened(user_id)
        elif not await self._presence.is_online(socket_presence_key(user_id)):
            await self._queue.socket_closed(user_id, self._clock.now())
