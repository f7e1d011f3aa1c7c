"""The socket grace period, robust across processes.

When a user's `/ws/matching` socket opens or their last one closes, the process holding it
records that in the queue store (`MatchingQueue.socket_opened` / `socket_closed`). ANY
process's matcher (before each run) and the `matching-expiry` job then drop the entries
whose socket has been gone longer than the grace period. A socket recorded open whose
process died (its presence lease lapses 30 s after it stops being renewed) is recorded gone
when first found so. The presence lease (`socket_presence_key`) is checked first: a user
with a socket open again anywhere keeps their entry, so a close racing an open on another
process never drops a connected user. (The closing process also keeps a local timer: it
only makes the usual case prompt; correctness no longer depends on that process living.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypehere.application.common.presence import Presence
from hypehere.application.matching.ports import MatchingQueue


def socket_presence_key(user_id: str) -> str:
    """The presence key held while a `/ws/matching` socket of the user is open."""
    return f"matching-socket:{user_id}"


async def drop_disconnected(
    queue: MatchingQueue, presence: Presence, now: datetime, grace_seconds: float
) -> list[str]:
    """Remove the entries whose owner's socket has been gone past the grace period; the
    users removed. A socket recorded open whose presence lease has lapsed (its process died
    without recording the close) is recorded gone now, and dropped a grace period later."""
    marks = await queue.socket_marks()
    if not marks:
        return []
    online = await presence.online([socket_presence_key(user_id) for user_id in marks])
    cutoff = now - timedelta(seconds=grace_seconds)
    dropped: list[str] = []
    for user_id, gone_at in sorted(marks.items()):
        if socket_presence_key(user_id) in online:
            if gone_at is not None:
                await queue.socket_opened(user_id)  # a socket is back (in some process)
        elif gone_at is None:
            await queue.socket_closed(user_id, now)
        elif gone_at <= cutoff and await queue.leave(user_id) is not None:
            dropped.append(user_id)
    return dropped
