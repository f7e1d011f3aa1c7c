"""The fail-closed moderation tier at send time, one rule for direct and room messages
(`MessageHoldPolicy`): a new account's first N messages of each kind are stored held, in
their kind's `HeldMessages`, outside the channel, and announced to the moderation check by
an outbox event in the same transaction; nobody but the sender sees them until a verdict
releases them (`ReleaseMessage`, `ReleaseRoomMessage`)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic

from hypehere.application.chat.ports import ChatPeers, HeldMessages, M
from hypehere.application.common.outbox import OutboxWriter
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.shared.holding import MessageHoldPolicy


class MessageHolding(Generic[M]):
    def __init__(
        self,
        peers: ChatPeers,
        held: HeldMessages[M],
        outbox: OutboxWriter,
        policy: MessageHoldPolicy,
    ) -> None:
        self._peers = peers
        self._held: HeldMessages[M] = held
        self._outbox = outbox
        self._policy = policy

    async def new_account(self, sender_id: str, now: datetime) -> bool:
        """Is the tier on and the sender's account new? An established account costs one
        key lookup; only a new one's held messages are counted then (at most N)."""
        if self._policy.first_items <= 0:
            return False
        return self._policy.holds(await self._peers.joined_at(sender_id), 0, now)

    async def holds_next(self, sender_id: str) -> bool:
        """For a new account: has it sent fewer than N messages of this kind through the
        tier (held or released)?"""
        first = self._policy.first_items
        return await self._held.written_by(sender_id, first) < first

    async def holds(self, sender_id: str, now: datetime) -> bool:
        """Is the next message of `sender_id` held?"""
        return await self.new_account(sender_id, now) and await self.holds_next(sender_id)

    async def hold(self, message: M, event: DomainEvent) -> bool:
        """Store `message` held and stage `event` (the check), in the caller's unit of work;
        False (nothing stored, `message` not held) when the sender's first N messages went
        through the tier meanwhile (a concurrent send won the last place): deliver it then.
        `holds` is the cheap early answer, this the atomic one."""
        message.held = True
        if not await self._held.hold_first(message, self._policy.first_items):
            message.held = False
            return False
        await self._outbox.add(event)
        return True
