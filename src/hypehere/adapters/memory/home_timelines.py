"""`HomeTimelines` in process (tests and the contract's reference; one process only)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from hypehere.application.feed.ports import TimelineEntry, TimelinePage

_BUILDING, _COMPLETE, _TRUNCATED = "building", "complete", "truncated"


def _key(created_at: datetime, post_id: str) -> tuple[datetime, str]:
    return (created_at, post_id)


@dataclass
class _Timeline:
    status: str = _BUILDING
    token: str = ""
    entries: dict[str, datetime] = field(default_factory=dict)
    followees: frozenset[str] = frozenset()


class InMemoryHomeTimelines:
    def __init__(self, horizon: int = 800) -> None:
        self._horizon = horizon
        self._timelines: dict[str, _Timeline] = {}
        self._celebrities: set[str] = set()

    @property
    def horizon(self) -> int:
        return self._horizon

    def _trim(self, timeline: _Timeline) -> None:
        if len(timeline.entries) <= self._horizon:
            return
        ordered = sorted(timeline.entries.items(), key=lambda kv: _key(kv[1], kv[0]))
        for post_id, _ in ordered[: len(ordered) - self._horizon]:
            del timeline.entries[post_id]
        if timeline.status == _COMPLETE:
            timeline.status = _TRUNCATED

    async def add(self, entry: TimelineEntry, user_ids: Sequence[str]) -> None:
        for user_id in user_ids:
            timeline = self._timelines.get(user_id)
            if timeline is not None:
                timeline.entries[entry.post_id] = entry.created_at
                self._trim(timeline)

    async def remove(self, post_id: str, user_ids: Sequence[str]) -> None:
        for user_id in user_ids:
            timeline = self._timelines.get(user_id)
            if timeline is not None:
                timeline.entries.pop(post_id, None)

    async def page(
        self, user_id: str, before: TimelineEntry | None, limit: int
    ) -> TimelinePage | None:
        timeline = self._timelines.get(user_id)
        if timeline is None or timeline.status == _BUILDING:
            return None
        ordered = sorted(timeline.entries.items(), key=lambda kv: _key(kv[1], kv[0]), reverse=True)
        if before is not None:
            bound = _key(before.created_at, before.post_id)
            ordered = [kv for kv in ordered if _key(kv[1], kv[0]) < bound]
        return TimelinePage(
            entries=[TimelineEntry(post_id, at) for post_id, at in ordered[:limit]],
            complete=timeline.status == _COMPLETE,
            celebrities=sorted(timeline.followees & self._celebrities),
        )

    async def start_rebuild(self, user_id: str) -> str:
        token = secrets.token_hex(8)
        self._timelines[user_id] = _Timeline(token=token)
        return token

    async def rebuild(
        self,
        user_id: str,
        token: str,
        entries: Sequence[TimelineEntry],
        *,
        complete: bool,
        followees: Sequence[str],
    ) -> bool:
        timeline = self._timelines.get(user_id)
        if timeline is None or timeline.status != _BUILDING or timeline.token != token:
            return False
        timeline.followees = frozenset(followees)
        for entry in entries:
            timeline.entries[entry.post_id] = entry.created_at
        timeline.status = _COMPLETE if complete else _TRUNCATED
        self._trim(timeline)
        return True

    async def mark_cold(self, user_ids: Sequence[str]) -> None:
        for user_id in user_ids:
            self._timelines.pop(user_id, None)

    async def mark_celebrity(self, author_id: str) -> None:
        self._celebrities.add(author_id)

    async def is_celebrity(self, author_id: str) -> bool:
        return author_id in self._celebrities

    async def unmark_celebrity(self, author_id: str) -> None:
        self._celebrities.discard(author_id)
