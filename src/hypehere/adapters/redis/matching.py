"""The matching queue in Redis, shared by every process of a deployment.

Keys (under `prefix`, `hypehere:matching:` by default):

- `entries`: hash user id -> the entry as JSON; `joined`: sorted set user id -> joined-at
  (epoch seconds), for expiry. One Lua script adds both only if the user has no entry
  (HSETNX), so concurrent joins of one user leave one entry.
- `lock`: the matcher lock, `SET NX PX` with a random token; released by a Lua
  compare-and-delete so a round that outlived its lock never frees another's.
- `rerun`: set by a matcher that found the lock taken; the holder reruns (`take_round_request`).
- `matched:{user id}`: set while a round's pair is turned into a conversation (released by
  the matcher, else lapses after a minute), so the user cannot queue again meanwhile.
- `met:{user id}`: sorted set partner id -> when they were matched, kept for the repeat window.
- `waits:{native}:{target}`: the line's latest waits (a capped list).
- `sockets`: hash user id -> `open` while a `/ws/matching` socket is recorded open, else
  when the last one went away (epoch seconds), written by whichever process held it (or
  found it gone); any process's matcher or expiry job drops entries whose socket has been
  gone past the grace period. A join clears a "gone" mark.

A round's pairs leave the queue in ONE Lua script that also checks the lock is still ours
and that each pair's two entries are unchanged since the snapshot the round planned over;
a pair whose entry left or changed is skipped. So every user is matched at most once, even
with matchers racing in several processes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import msgspec
from redis.asyncio import Redis
from redis.exceptions import RedisError

from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.matching.ports import JoinOutcome, RoundPlanner
from hypehere.domain.matching.model import REPEAT_WINDOW_HOURS, QueueEntry
from hypehere.domain.matching.policy import Pair, pair_key
from hypehere.domain.matching.waiting import RECENT_WAITS

# KEYS: entries, joined, the user's being-matched mark, gone. 1 joined, 0 queued, 2 being
# matched.
_JOIN = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local mark = redis.call('HGET', KEYS[4], ARGV[1])
if mark and mark ~= 'open' then redis.call('HDEL', KEYS[4], ARGV[1]) end
return 1
"""

# KEYS: entries, joined. ARGV: met-key prefix, then (user a, entry a, joined a, user b,
# entry b, joined b) per pair: entries back unless the user has one again; not met.
_RESTORE = """
for i = 2, #ARGV, 6 do
  local a, b = ARGV[i], ARGV[i + 3]
  if redis.call('HSETNX', KEYS[1], a, ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[i + 2], a)
  end
  if redis.call('HSETNX', KEYS[1], b, ARGV[i + 4]) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[i + 5], b)
  end
  redis.call('ZREM', ARGV[1] .. a, b)
  redis.call('ZREM', ARGV[1] .. b, a)
end
return 1
"""

# KEYS: entries, sockets. The queued users' marks (user, mark, ...); drops the "gone" marks
# of users not queued.
_SOCKET_MARKS = """
local marks = redis.call('HGETALL', KEYS[2])
local found = {}
for i = 1, #marks, 2 do
  local user, mark = marks[i], marks[i + 1]
  if redis.call('HEXISTS', KEYS[1], user) == 1 then
    found[#found + 1] = user
    found[#found + 1] = mark
  elseif mark ~= 'open' then
    redis.call('HDEL', KEYS[2], user)
  end
end
return found
"""

_LEAVE = """
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return entry
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: entries, joined, lock. ARGV: met-key prefix, now, met ttl seconds, lock token,
# being-matched key prefix, its ttl seconds, then (user a, entry a, user b, entry b) per
# pair. Returns the 1-based indexes of pairs made.
_COMMIT = """
if redis.call('GET', KEYS[3]) ~= ARGV[4] then return {} end
local made = {}
local n = 0
for i = 7, #ARGV, 4 do
  local a, a_entry, b, b_entry = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('HGET', KEYS[1], a) == a_entry and redis.call('HGET', KEYS[1], b) == b_entry then
    redis.call('HDEL', KEYS[1], a, b)
    redis.call('ZREM', KEYS[2], a, b)
    local met_a, met_b = ARGV[1] .. a, ARGV[1] .. b
    redis.call('ZADD', met_a, ARGV[2], b)
    redis.call('EXPIRE', met_a, ARGV[3])
    redis.call('ZADD', met_b, ARGV[2], a)
    redis.call('EXPIRE', met_b, ARGV[3])
    redis.call('SET', ARGV[5] .. a, 1, 'EX', ARGV[6])
    redis.call('SET', ARGV[5] .. b, 1, 'EX', ARGV[6])
    n = n + 1
    made[n] = (i - 3) / 4
  end
end
return made
"""

_EXPIRE = """
local users = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
local gone = {}
for i, user in ipairs(users) do
  local entry = redis.call('HGET', KEYS[1], user)
  redis.call('HDEL', KEYS[1], user)
  redis.call('ZREM', KEYS[2], user)
  if entry then gone[#gone + 1] = entry end
end
return gone
"""

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(QueueEntry)

WAITS_TTL_SECONDS = 7 * 24 * 3600
RERUN_TTL_MS = 60_000
MATCHED_MARK_SECONDS = 60
SOCKET_OPEN = "open"
_JOIN_OUTCOMES = {
    0: JoinOutcome.ALREADY_QUEUED,
    1: JoinOutcome.JOINED,
    2: JoinOutcome.BEING_MATCHED,
}


class RedisMatchingQueue:
    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "hypehere:matching:",
        lock_ttl_seconds: float = 10.0,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._lock_ms = max(1, int(lock_ttl_seconds * 1000))
        self._entries = f"{prefix}entries"
        self._joined = f"{prefix}joined"
        self._lock = f"{prefix}lock"
        self._rerun = f"{prefix}rerun"
        self._sockets = f"{prefix}sockets"
        self._restore = redis.register_script(_RESTORE)
        self._socket_marks = redis.register_script(_SOCKET_MARKS)
        self._join = redis.register_script(_JOIN)
        self._leave = redis.register_script(_LEAVE)
        self._release = redis.register_script(_RELEASE)
        self._commit = redis.register_script(_COMMIT)
        self._expire = redis.register_script(_EXPIRE)

    def _met(self, user_id: str) -> str:
        return f"{self._prefix}met:{user_id}"

    def _waits(self, line: tuple[str, str]) -> str:
        return f"{self._prefix}waits:{line[0]}:{line[1]}"

    def _matched(self, user_id: str) -> str:
        return f"{self._prefix}matched:{user_id}"

    async def join(self, entry: QueueEntry) -> JoinOutcome:
        try:
            added = await self._join(
                keys=[self._entries, self._joined, self._matched(entry.user_id), self._sockets],
                args=[entry.user_id, _encoder.encode(entry), entry.joined_at.timestamp()],
            )
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return _JOIN_OUTCOMES[int(added)]

    async def restore(self, pairs: Sequence[Pair]) -> None:
        if not pairs:
            return
        args: list[str | bytes | float] = [f"{self._prefix}met:"]
        for pair in pairs:
            for entry in (pair.chooser, pair.partner):
                args.extend((entry.user_id, _encoder.encode(entry), entry.joined_at.timestamp()))
        try:
            await self._restore(keys=[self._entries, self._joined], args=args)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def socket_opened(self, user_id: str) -> None:
        try:
            await self._redis.hset(self._sockets, user_id, SOCKET_OPEN)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def socket_closed(self, user_id: str, at: datetime) -> None:
        try:
            await self._redis.hset(self._sockets, user_id, at.timestamp())
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def socket_marks(self) -> dict[str, datetime | None]:
        try:
            found = await self._socket_marks(keys=[self._entries, self._sockets], args=[])
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        marks: dict[str, datetime | None] = {}
        for user, mark in zip(found[::2], found[1::2], strict=True):
            value = _text(mark)
            marks[_text(user)] = (
                None if value == SOCKET_OPEN else datetime.fromtimestamp(float(value), tz=UTC)
            )
        return marks

    async def release_matched(self, user_ids: Iterable[str]) -> None:
        keys = [self._matched(user_id) for user_id in user_ids]
        if not keys:
            return
        try:
            await self._redis.delete(*keys)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def leave(self, user_id: str) -> QueueEntry | None:
        try:
            raw = await self._leave(keys=[self._entries, self._joined], args=[user_id])
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return _decoder.decode(raw) if raw else None

    async def get(self, user_id: str) -> QueueEntry | None:
        try:
            raw = await self._redis.hget(self._entries, user_id)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return _decoder.decode(raw) if raw else None

    async def _raw_snapshot(self) -> dict[str, bytes]:
        try:
            rows = await self._redis.hgetall(self._entries)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return {_text(key): _bytes(value) for key, value in rows.items()}

    async def snapshot(self) -> list[QueueEntry]:
        raw = await self._raw_snapshot()
        entries = [_decoder.decode(value) for value in raw.values()]
        return sorted(entries, key=lambda e: (e.joined_at, e.user_id))

    async def run_round(self, plan: RoundPlanner, now: datetime) -> list[Pair] | None:
        token = secrets.token_hex(16)
        try:
            acquired = await self._redis.set(self._lock, token, nx=True, px=self._lock_ms)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        if not acquired:
            return None
        try:
            raw = await self._raw_snapshot()
            entries = sorted(
                (_decoder.decode(value) for value in raw.values()),
                key=lambda e: (e.joined_at, e.user_id),
            )
            pairs = await plan(entries)
            if not pairs:
                return []
            args: list[str | bytes | float | int] = [
                f"{self._prefix}met:",
                now.timestamp(),
                REPEAT_WINDOW_HOURS * 3600,
                token,
                f"{self._prefix}matched:",
                MATCHED_MARK_SECONDS,
            ]
            for pair in pairs:
                first, second = pair.user_ids
                args.extend((first, raw[first], second, raw[second]))
            try:
                made = await self._commit(keys=[self._entries, self._joined, self._lock], args=args)
            except RedisError as exc:
                raise StorageUnavailableError("Redis is unavailable.") from exc
            return [pairs[int(index) - 1] for index in made]
        finally:
            try:
                await self._release(keys=[self._lock], args=[token])
            except RedisError as exc:
                raise StorageUnavailableError("Redis is unavailable.") from exc

    async def request_round(self) -> None:
        try:
            await self._redis.set(self._rerun, 1, px=RERUN_TTL_MS)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def take_round_request(self) -> bool:
        try:
            return bool(await self._redis.getdel(self._rerun))
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def recent_partners(
        self, user_ids: Iterable[str], since: datetime
    ) -> frozenset[frozenset[str]]:
        ids = list(dict.fromkeys(user_ids))
        if not ids:
            return frozenset()
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for user_id in ids:
                    pipe.zrangebyscore(self._met(user_id), since.timestamp(), "+inf")
                results = await pipe.execute()
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return frozenset(
            pair_key(user_id, partner.decode())
            for user_id, partners in zip(ids, results, strict=True)
            for partner in partners
        )

    async def expire(self, joined_before: datetime) -> list[QueueEntry]:
        try:
            gone = await self._expire(
                keys=[self._entries, self._joined], args=[joined_before.timestamp()]
            )
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return [_decoder.decode(raw) for raw in gone]

    async def record_wait(self, line: tuple[str, str], seconds: float) -> None:
        key = self._waits(line)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.rpush(key, seconds)
                pipe.ltrim(key, -RECENT_WAITS, -1)
                pipe.expire(key, WAITS_TTL_SECONDS)
                await pipe.execute()
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def recent_waits(self, line: tuple[str, str]) -> list[float]:
        try:
            values = await self._redis.lrange(self._waits(line), 0, -1)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return [float(v) for v in values]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value
