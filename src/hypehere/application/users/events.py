"""Moving an aggregate's recorded events to the outbox (inside the transaction)."""

from __future__ import annotations

from hypehere.application.common.outbox import OutboxWriter
from hypehere.domain.users.model import User


async def stage_events(outbox: OutboxWriter, user: User) -> None:
    for event in user.events:
        await outbox.add(event)
    user.events.clear()
