"""Ranked feed sessions in the cache: the ranked candidate list of one feed session and
the pages already served from it, so paging never repeats or skips a post even when new
posts arrive. A per-user generation number invalidates every session of a user at once
(follow, unfollow, block)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, Self

import msgspec

from hypehere.application.common.cache import Cache
from hypehere.domain.feed.features import CandidateSignals

SNAPSHOT_TTL_SECONDS = 30 * 60

_encoder = msgspec.msgpack.Encoder()
_signals_decoder = msgspec.msgpack.Decoder(list[Any])
_SIGNAL_KEYS = tuple(field.name for field in dataclasses.fields(CandidateSignals))


class RankedItem(msgspec.Struct, frozen=True, array_like=True):
    post_id: str
    author_id: str
    score: float
    # The candidate's ranking signals: their values in field order, msgpack-encoded once at
    # ranking time and decoded only for the items a page shows (the impression log), so
    # every later page loads and stores the snapshot without decoding 500 of them.
    signals: msgspec.Raw

    @classmethod
    def of(cls, signals: CandidateSignals, score: float) -> Self:
        raw = msgspec.Raw(_encoder.encode([getattr(signals, key) for key in _SIGNAL_KEYS]))
        return cls(signals.post_id, signals.author_id, score, raw)

    def signals_dict(self) -> dict[str, Any]:
        """The signals as `CandidateSignals.to_dict()` gives them."""
        return dict(zip(_SIGNAL_KEYS, _signals_decoder.decode(self.signals), strict=True))


class FeedSnapshot(msgspec.Struct):
    session_id: str
    user_id: str
    generation: int
    language: str | None
    created_at: datetime
    ranker: str
    remaining: list[RankedItem]
    pages: list[list[RankedItem]] = []

    @property
    def served_count(self) -> int:
        return sum(len(p) for p in self.pages)


_decoder = msgspec.msgpack.Decoder(FeedSnapshot)


class FeedSnapshots:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    @staticmethod
    def _key(user_id: str, session_id: str) -> str:
        return f"feed:snapshot:{user_id}:{session_id}"

    @staticmethod
    def _generation_key(user_id: str) -> str:
        return f"feed:generation:{user_id}"

    async def generation(self, user_id: str) -> int:
        raw = await self._cache.get(self._generation_key(user_id))
        return int(raw) if raw else 0

    async def load(self, user_id: str, session_id: str) -> FeedSnapshot | None:
        """The session's snapshot, or None when it expired or was invalidated."""
        raw = await self._cache.get(self._key(user_id, session_id))
        if raw is None:
            return None
        try:
            snapshot = _decoder.decode(raw)
        except msgspec.DecodeError:
            return None
        if snapshot.user_id != user_id or snapshot.generation != await self.generation(user_id):
            return None
        return snapshot

    async def save(self, snapshot: FeedSnapshot) -> None:
        await self._cache.set(
            self._key(snapshot.user_id, snapshot.session_id),
            _encoder.encode(snapshot),
            SNAPSHOT_TTL_SECONDS,
        )

    async def invalidate(self, *user_ids: str) -> None:
        for user_id in user_ids:
            await self._cache.incr(self._generation_key(user_id), 1)
