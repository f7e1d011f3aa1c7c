"""`HomeTimelines` in Redis: one sorted set of post ids per user, plus a state string and
the set of the people the user follows; and one set of the celebrities.

Keys (under `prefix`, `hypehere:home:v2:` by default; `v2` since the followee sets, so
timelines built before them are never read: they expire idle), the three per-user keys
expiring `idle_seconds` after the user's last read, so the timelines of people who stopped
reading are evicted (and rebuilt from SQL if they come back):

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
- `<user>:f`: SET of the ids the user followed when the timeline was rebuilt (a follow or
  an unfollow drops the timeline, so it stays current).
- `celebrities`: SET of the authors whose posts are not fanned out.

A page is one script call (`_PAGE`): the state, the entries after the cursor, the
followed celebrities (`SINTER` of the two sets), and the idle timer reset. After a cursor
(t, id) the entries are "score < t, or score == t and member < id": the members at
exactly t (usually none or one) come first, then the first `limit` below t. Writes to many
followers go through one script per chunk of keys (only existing timelines are written,
then trimmed), pipelined. Every script touches one user's keys and the celebrity set, so
they assume a single Redis (not a cluster)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from hypehere.application.feed.ports import TimelineEntry, TimelinePage

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

# KEYS: timeline, state, followees; ARGV: token, horizon, ttl, complete (1/0), entry
# count n, then n (score, member) pairs, then the followee ids.
_REBUILD = """
if redis.call('GET', KEYS[2]) ~= 'b:' .. ARGV[1] then
  return 0
end
local last = 5 + 2 * tonumber(ARGV[5])
for i = 6, last, 2 do
  redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('DEL', KEYS[3])
for i = last + 1, #ARGV do
  redis.call('SADD', KEYS[3], ARGV[i])
end
local horizon = tonumber(ARGV[2])
local removed = redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(horizon + 1))
local state = 't'
if ARGV[4] == '1' and removed == 0 then
  state = 'c'
end
redis.call('SET', KEYS[2], state, 'EX', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
return 1
"""

# KEYS: timeline, state, followees, celebrities; ARGV: ttl, limit[, at]. Returns false when
# not warm, else {state, {followed celebrities}, {members at exactly `at`}, {member, score,
# ... below `at`}}: the ties are compared with the cursor's id by the caller (Lua compares
# strings by the server's locale, not by bytes).
_PAGE = """
local state = redis.call('GET', KEYS[2])
if not state or string.sub(state, 1, 2) == 'b:' then
  return false
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[1])
local celebrities = redis.call('SINTER', KEYS[3], KEYS[4])
if not ARGV[3] then
  return {state, celebrities, {}, redis.call('ZRANGE', KEYS[1], '+inf', '-inf', 'BYSCORE', 'REV',
    'LIMIT', 0, ARGV[2], 'WITHSCORES')}
end
return {state, celebrities, redis.call('ZRANGE', KEYS[1], ARGV[3], ARGV[3], 'BYSCORE'),
  redis.call('ZRANGE', KEYS[1], '(' .. ARGV[3], '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[2],
    'WITHSCORES')}
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
        prefix: str = "hypehere:home:v2:",
    ) -> None:
        self._redis = client
        self._horizon = horizon
        self._ttl = idle_seconds
        self._prefix = prefix
        self._celebrities = f"{prefix}celebrities"
        self._add = client.register_script(_ADD)
        self._rebuild = client.register_script(_REBUILD)
        self._page = client.register_script(_PAGE)

    @property
    def horizon(self) -> int:
        return self._horizon

    def _keys(self, user_id: str) -> tuple[str, str, str]:
        key = f"{self._prefix}{user_id}"
        return key, f"{key}:s", f"{key}:f"

    async def add(self, entry: TimelineEntry, user_ids: Sequence[str]) -> None:
        if not user_ids:
            return
        score = score_of(entry.created_at)
        async with self._redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(user_ids), _CHUNK):
                keys = [k for u in user_ids[start : start + _CHUNK] for k in self._keys(u)[:2]]
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
    ) -> TimelinePage | None:
        args: list[int | str] = [self._ttl, limit]
        if before is not None:
            args.append(score_of(before.created_at))
        found = await self._page([*self._keys(user_id), self._celebrities], args)
        if not found:
            return None
        state, celebrities, ties, below = found
        rows = [(_text(m), float(s)) for m, s in zip(below[::2], below[1::2], strict=True)]
        if before is not None and ties:
            at = float(score_of(before.created_at))
            earlier = sorted((m for m in map(_text, ties) if m < before.post_id), reverse=True)
            rows = [(m, at) for m in earlier] + rows
        return TimelinePage(
            entries=[TimelineEntry(m, time_of(s)) for m, s in rows[:limit]],
            complete=_text(state) == "c",
            celebrities=sorted(map(_text, celebrities)),
        )

    async def start_rebuild(self, user_id: str) -> str:
        key, state_key, followees_key = self._keys(user_id)
        token = secrets.token_hex(8)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key, followees_key)
            pipe.set(state_key, f"b:{token}", ex=self._ttl)
            await pipe.execute()
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
        args: list[str | int] = [token, self._horizon, self._ttl, 1 if complete else 0]
        args.append(len(entries))
        for entry in entries:
            args.extend((score_of(entry.created_at), entry.post_id))
        args.extend(followees)
        done = await self._rebuild(list(self._keys(user_id)), args)
        return bool(done)

    async def mark_cold(self, user_ids: Sequence[str]) -> None:
        keys = [k for u in user_ids for k in self._keys(u)]
        for start in range(0, len(keys), _CHUNK * 3):
            await self._redis.delete(*keys[start : start + _CHUNK * 3])

    async def mark_celebrity(self, author_id: str) -> None:
        await self._redis.sadd(self._celebrities, author_id)

    async def is_celebrity(self, author_id: str) -> bool:
        return bool(await self._redis.sismember(self._celebrities, author_id))

    async def unmark_celebrity(self, author_id: str) -> None:
        await self._redis.srem(self._celebrities, author_id)
