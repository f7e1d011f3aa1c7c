"""Ranked feed sessions in the cache: the ranked candidate list of one feed session and
the pages already served from it, so paging never repeats or skips a post even when new
posts arrive. A per-user generation number invalidates every session of a user at once
(follow, unfollow, block).

A session is two cache entries: the ranking (~100 KB for 500 candidates), written once
when the session starts, and its progress (which ranked items each served page took, a
few hundred bytes), rewritten per page. A later page reads the generation, the ranking
and the progress in one round trip and writes back only the progress. A session lives
`SNAPSHOT_TTL_SECONDS` from its first page."""

from __future__ import annotations

import dataclasses
import operator
from datetime import datetime
from typing import Any, Self

import msgspec

from hypehere.application.common.cache import Cache
from hypehere.domain.feed.features import CandidateSignals
from hypehere.domain.feed.rules import diversify

SNAPSHOT_TTL_SECONDS = 30 * 60

_encoder = msgspec.msgpack.Encoder()
_signals_decoder = msgspec.msgpack.Decoder(list[Any])
_SIGNAL_KEYS = tuple(field.name for field in dataclasses.fields(CandidateSignals))
_signal_values = operator.attrgetter(*_SIGNAL_KEYS)


class RankedItem(msgspec.Struct, frozen=True, array_like=True):
    post_id: str
    author_id: str
    score: float
    # The candidate's ranking signals: their values in field order, msgpack-encoded once at
    # ranking time and decoded only for the items a page shows (the impression log), so
    # every later page loads the snapshot without decoding 500 of them.
    signals: msgspec.Raw

    @classmethod
    def of(cls, signals: CandidateSignals, score: float) -> Self:
        raw = msgspec.Raw(_encoder.encode(_signal_values(signals)))
        return cls(signals.post_id, signals.author_id, score, raw)

    def signals_dict(self) -> dict[str, Any]:
        """The signals as `CandidateSignals.to_dict()` gives them."""
        return dict(zip(_SIGNAL_KEYS, _signals_decoder.decode(self.signals), strict=True))


class FeedSnapshot(msgspec.Struct, array_like=True):
    session_id: str
    user_id: str
    generation: int
    language: str | None
    created_at: datetime
    ranker: str
    ranked: list[RankedItem]
    # Served pages, as indexes into `ranked`; kept apart from the ranking in the cache.
    cuts: list[list[int]] = msgspec.field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.cuts)

    @property
    def served_count(self) -> int:
        return sum(len(cut) for cut in self.cuts)

    def page(self, index: int) -> list[RankedItem]:
        return [self.ranked[i] for i in self.cuts[index]]

    def unserved(self) -> list[int]:
        served = {i for cut in self.cuts for i in cut}
        return [i for i in range(len(self.ranked)) if i not in served]

    def serve_next(self, limit: int) -> list[RankedItem]:
        """Cut the next page from the best unserved items (author diversity applies)."""
        cut, _ = diversify(self.unserved(), lambda i: self.ranked[i].author_id, limit)
        self.cuts.append(cut)
        return self.page(len(self.cuts) - 1)

    def has_more_after(self, index: int) -> bool:
        return index + 1 < len(self.cuts) or self.served_count < len(self.ranked)


_decoder = msgspec.msgpack.Decoder(FeedSnapshot)
_cuts_decoder = msgspec.msgpack.Decoder(list[list[int]])


class FeedSnapshots:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    @staticmethod
    def _key(user_id: str, session_id: str) -> str:
        return f"feed:snapshot:{user_id}:{session_id}"

    @staticmethod
    def _cuts_key(user_id: str, session_id: str) -> str:
        return f"feed:pages:{user_id}:{session_id}"

    @staticmethod
    def _generation_key(user_id: str) -> str:
        return f"feed:generation:{user_id}"

    async def generation(self, user_id: str) -> int:
        raw = await self._cache.get(self._generation_key(user_id))
        return int(raw) if raw else 0

    async def load(self, user_id: str, session_id: str) -> FeedSnapshot | None:
        """The session's snapshot, or None when it expired or was invalidated."""
        generation, raw, cuts = await self._cache.get_many(
            [
                self._generation_key(user_id),
                self._key(user_id, session_id),
                self._cuts_key(user_id, session_id),
            ]
        )
        if raw is None or cuts is None:
            return None
        try:
            snapshot = _decoder.decode(raw)
            snapshot.cuts = _cuts_decoder.decode(cuts)
        except msgspec.DecodeError:
            return None
        if snapshot.user_id != user_id or snapshot.generation != int(generation or 0):
            return None
        if any(i >= len(snapshot.ranked) for cut in snapshot.cuts for i in cut):
            return None
        return snapshot

    async def save(self, snapshot: FeedSnapshot, *, new: bool) -> None:
        """Store the session's progress; a `new` session stores its ranking too."""
        cuts_key = self._cuts_key(snapshot.user_id, snapshot.session_id)
        cuts = _encoder.encode(snapshot.cuts)
        if not new:
            await self._cache.set(cuts_key, cuts, SNAPSHOT_TTL_SECONDS)
            return
        ranking = _encoder.encode(msgspec.structs.replace(snapshot, cuts=[]))
        await self._cache.set_many(
            {self._key(snapshot.user_id, snapshot.session_id): ranking, cuts_key: cuts},
            SNAPSHOT_TTL_SECONDS,
        )

    async def invalidate(self, *user_ids: str) -> None:
        for user_id in user_ids:
            await self._cache.incr(self._generation_key(user_id), 1)
