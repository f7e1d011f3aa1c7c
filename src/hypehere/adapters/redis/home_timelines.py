"""`HomeTimelines` in Redis: one sorted set of post ids per user, plus a state string.

Keys (under `prefix`, `hypehere:home:` by default), both expiring `idle_seconds` after the
user's last read, so the timelines of people who stopped reading are evicted (and rebuilt
from SQL if they come back):

- `<user>`: ZSET, member = post id, score = created_at in integer microseconds since the
  epoch. Microseconds, not milliseconds: the SQL order is (created_at DESC, id DESC) at
  the column's microsecond precision, so a millisecond score would put two posts of the
  same millisecond in id order where SQL puts them in time order. An integer below 2**53
  is exact in the double Redis stores (that holds until the year 2255). Equal scores are
  ordered by member bytes, and post ids are lower-case UUID text, whose byte order is the
  order PostgreSQL and SQLite give `id`; so Redis's (score, member) order IS the API's
  (created_at, id) order, ties included.
- `<user>:s`: "c" (warm, complete: never trimmed), "t" (warm, trimmed), or "b:<token>"
  (being rebuilt). No state = cold.

A page after a cursor (t, id) is "score < t, or score == t and member < id": one pipeline
reads the members at exactly t (usually none or one) and the first `limit` below t; the
two are merged here. Writes to many followers go through one Lua script per chunk of
keys (only existing timelines are written, then trimmed), pipelined."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from hypehere.application.feed.ports import TimelineEntry

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CHUNK = 500

# KEYS: timeline and state key pairs; ARGV: score, member, horizon.
_ADD = """
local horizon = tonumber(ARGV[3])
for i = 1, #KEYS, 2 do
  local state = redis.call('GET', KEYS[i + 1])
  if state then
    redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2])
    local removed = redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(horizon + 1))
    if removed > 0 and state == 'c' then
      redis.call('SET', KEYS[i + 1], 't', 'KEEPTTL')
    end
  end
end
return 0
"""

# KEYS: timeline, state; ARGV: token, horizon, ttl, complete (1/0), score, member, ...
_REBUILD = """
if redis.call('GET', KEYS[2]) ~= 'b:' .. ARGV[1] then
  return 0
end
for i = 5, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
end
local horizon = tonumber(ARGV[2])
local removed = redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(horizon + 1))
local state = 't'
if ARGV[4] == '1' and removed == 0 then
  state = 'c'
end
redis.call('SET', KEYS[2], state, 'EX', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


def score_of(at: datetime) -> int:
    """created_at as integer microseconds since the epoch (exact in a double)."""
    delta = at.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def time_of(score: float) -> datetime:
    return _EPOCH + timedelta(microseconds=int(score))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisHomeTimelines:
    def __init__(
        self,
        client: Redis,
        *,
        horizon: int = 800,
        idle_seconds: int = 7 * 86_400,
        prefix: str = "hypehere:home:",
    ) -> None:
        self._redis = client
        self._horizon = horizon
        self._ttl = idle_seconds
        self._prefix = prefix
        self._add = client.register_script(_ADD)
        self._rebuild = client.register_script(_REBUILD)

    @property
    def horizon(self) -> int:
        return self._horizon

    def _keys(self, user_id: str) -> tuple[str, str]:
        key = f"{self._prefix}{user_id}"
        return key, f"{key}:s"

    async def add(self, entry: TimelineEntry, user_ids: Sequence[str]) -> None:
        if not user_ids:
            return
        score = score_of(entry.created_at)
        async with self._redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(user_ids), _CHUNK):
                keys = [k for u in user_ids[start : start + _CHUNK] for k in self._keys(u)]
                await self._add(keys, [score, entry.post_id, self._horizon], client=pipe)
            await pipe.execute()

    async def remove(self, post_id: str, user_ids: Sequence[str]) -> None:
        if not user_ids:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.zrem(self._keys(user_id)[0], post_id)
            await pipe.execute()

    async def page(
        self, user_id: str, before: TimelineEntry | None, limit: int
    ) -> list[TimelineEntry] | None:
        key, state_key = self._keys(user_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(state_key)
            if before is None:
                pipe.zrange(
                    key, "+inf", 0, desc=True, byscore=True, offset=0, num=limit, withscores=True
                )
            else:
                at = score_of(before.created_at)
                pipe.zrange(key, at, at, byscore=True, withscores=True)
                pipe.zrange(
                    key, f"({at}", 0, desc=True, byscore=True, offset=0, num=limit, withscores=True
                )
            pipe.expire(key, self._ttl)
            pipe.expire(state_key, self._ttl)
            results = await pipe.execute()
        state = results[0]
        if state is None or _text(state).startswith("b:"):
            return None
        if before is None:
            rows = results[1]
        else:
            ties = [(m, s) for m, s in results[1] if _text(m) < before.post_id]
            ties.sort(key=lambda pair: _text(pair[0]), reverse=True)
            rows = ties + list(results[2])
        return [TimelineEntry(_text(m), time_of(s)) for m, s in rows[:limit]]

    async def is_complete(self, user_id: str) -> bool:
        state = await self._redis.get(self._keys(user_id)[1])
        return state is not None and _text(state) == "c"

    async def start_rebuild(self, user_id: str) -> str:
        key, state_key = self._keys(user_id)
        token = secrets.token_hex(8)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.set(state_key, f"b:{token}", ex=self._ttl)
            await pipe.execute()
        return token

    async def rebuild(
        self, user_id: str, token: str, entries: Sequence[TimelineEntry], *, complete: bool
    ) -> bool:
        args: list[str | int] = [token, self._horizon, self._ttl, 1 if complete else 0]
        for entry in entries:
            args.extend((score_of(entry.created_at), entry.post_id))
        done = await self._rebuild(list(self._keys(user_id)), args)
        return bool(done)

    async def is_warm(self, user_id: str) -> bool:
        state = await self._redis.get(self._keys(user_id)[1])
        return state is not None and not _text(state).startswith("b:")

    async def mark_cold(self, user_ids: Sequence[str]) -> None:
        keys = [k for u in user_ids for k in self._keys(u)]
        for start in range(0, len(keys), _CHUNK * 2):
            await self._redis.delete(*keys[start : start + _CHUNK * 2])
