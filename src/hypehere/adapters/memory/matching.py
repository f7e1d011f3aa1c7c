"""The matching queue and anonymous conversations in this process (the embedded default).

The queue's round lock is an `asyncio.Lock` taken without waiting: one round at a time in
the process, which is the whole deployment when Redis is not configured."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterable, Sequence
from datetime import datetime

from hypehere.application.matching.ports import JoinOutcome, RoundPlanner
from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.model import QueueEntry
from hypehere.domain.matching.policy import Pair, pair_key
from hypehere.domain.matching.waiting import RECENT_WAITS


class InMemoryMatchingQueue:
    def __init__(self) -> None:
        self._entries: dict[str, QueueEntry] = {}
        self._lock = asyncio.Lock()
        self._rerun = False
        self._being_matched: set[str] = set()
        self._met: dict[frozenset[str], datetime] = {}
        self._waits: dict[tuple[str, str], list[float]] = {}
        self._marks: dict[str, datetime | None] = {}  # socket open (None) / gone since

    async def join(self, entry: QueueEntry) -> JoinOutcome:
        if entry.user_id in self._entries:
            return JoinOutcome.ALREADY_QUEUED
        if entry.user_id in self._being_matched:
            return JoinOutcome.BEING_MATCHED
        self._entries[entry.user_id] = entry
        if self._marks.get(entry.user_id, None) is not None:
            del self._marks[entry.user_id]
        return JoinOutcome.JOINED

    async def restore(self, pairs: Sequence[Pair]) -> None:
        for pair in pairs:
            for entry in (pair.chooser, pair.partner):
                self._entries.setdefault(entry.user_id, entry)
            self._met.pop(pair_key(pair.chooser.user_id, pair.partner.user_id), None)

    async def socket_opened(self, user_id: str) -> None:
        self._marks[user_id] = None

    async def socket_closed(self, user_id: str, at: datetime) -> None:
        self._marks[user_id] = at

    async def socket_marks(self) -> dict[str, datetime | None]:
        for user_id in [
            u for u, at in self._marks.items() if at is not None and u not in self._entries
        ]:
            del self._marks[user_id]
        return {u: at for u, at in self._marks.items() if u in self._entries}

    async def release_matched(self, user_ids: Iterable[str]) -> None:
        self._being_matched.difference_update(user_ids)

    async def leave(self, user_id: str) -> QueueEntry | None:
        return self._entries.pop(user_id, None)

    async def get(self, user_id: str) -> QueueEntry | None:
        return self._entries.get(user_id)

    async def snapshot(self) -> list[QueueEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.joined_at, e.user_id))

    async def run_round(self, plan: RoundPlanner, now: datetime) -> list[Pair] | None:
        if self._lock.locked():
            return None
        async with self._lock:
            pairs = await plan(await self.snapshot())
            made: list[Pair] = []
            for pair in pairs:
                first, second = pair.chooser, pair.partner
                if (
                    self._entries.get(first.user_id) != first
                    or self._entries.get(second.user_id) != second
                ):
                    continue
                del self._entries[first.user_id]
                del self._entries[second.user_id]
                self._being_matched.update((first.user_id, second.user_id))
                self._met[pair_key(first.user_id, second.user_id)] = now
                made.append(pair)
            return made

    async def request_round(self) -> None:
        self._rerun = True

    async def take_round_request(self) -> bool:
        asked, self._rerun = self._rerun, False
        return asked

    async def recent_partners(
        self, user_ids: Iterable[str], since: datetime
    ) -> frozenset[frozenset[str]]:
        wanted = set(user_ids)
        return frozenset(key for key, at in self._met.items() if at >= since and key & wanted)

    async def expire(self, joined_before: datetime) -> list[QueueEntry]:
        old = [e for e in self._entries.values() if e.joined_at < joined_before]
        for entry in old:
            del self._entries[entry.user_id]
        return old

    async def record_wait(self, line: tuple[str, str], seconds: float) -> None:
        waits = self._waits.setdefault(line, [])
        waits.append(seconds)
        del waits[:-RECENT_WAITS]

    async def recent_waits(self, line: tuple[str, str]) -> list[float]:
        return list(self._waits.get(line, []))


class InMemoryAnonymousConversations:
    def __init__(self) -> None:
        self._rows: dict[str, AnonymousConversation] = {}

    async def add(self, conversation: AnonymousConversation) -> None:
        self._rows[conversation.id] = copy.deepcopy(conversation)

    async def get(self, conversation_id: str) -> AnonymousConversation | None:
        found = self._rows.get(conversation_id)
        return copy.deepcopy(found) if found is not None else None

    async def save(self, conversation: AnonymousConversation) -> None:
        self._rows[conversation.id] = copy.deepcopy(conversation)

    async def record_reply(self, conversation_id: str, user_id: str) -> None:
        conversation = self._rows.get(conversation_id)
        if conversation is not None and conversation.is_participant(user_id):
            conversation.record_message(user_id)

    async def open_for(self, user_id: str) -> AnonymousConversation | None:
        for conversation in self._rows.values():
            if not conversation.ended and conversation.is_participant(user_id):
                return copy.deepcopy(conversation)
        return None

    async def ended_for(self, user_id: str, since: datetime) -> list[AnonymousConversation]:
        return [
            copy.deepcopy(c)
            for c in self._rows.values()
            if c.ended and c.is_participant(user_id) and c.started_at >= since
        ]

    async def open_started_before(
        self, before: datetime, limit: int
    ) -> list[AnonymousConversation]:
        found = sorted(
            (c for c in self._rows.values() if not c.ended and c.started_at < before),
            key=lambda c: (c.started_at, c.id),
        )
        return [copy.deepcopy(c) for c in found[:limit]]
