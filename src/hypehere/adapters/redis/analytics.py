"""The visitor counter in Redis, shared by every process.

Keys (under `prefix`, `hypehere:analytics:` by default), all expiring two days after their
UTC day ends:
- `salt:{day}`: the day's random salt, created once with SET NX (every process reads the
  same); it lapses with the day's keys, so no later day's key can be linked to it;
- `visitors:{day}` / `users:{day}`: HyperLogLogs (PFADD/PFCOUNT) of every visitor key and
  of signed-in users' keys: fixed size however many visit, no per-request database write.

The day's salt is cached in process, and so are the keys this process has already added
today (at most `SEEN_PER_DAY`): adding a key twice changes no HyperLogLog, so a visitor's
second and later requests cost no Redis round trip at all."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from redis.asyncio import Redis

from hypehere.domain.analytics.model import is_user_key

KEEP_DAYS = 2
SEEN_PER_DAY = 100_000  # keys remembered per process; past it, every add goes to Redis


def _expires_at(day: date) -> int:
    end = datetime.combine(day + timedelta(days=KEEP_DAYS), time(), tzinfo=UTC)
    return int(end.timestamp())


class RedisVisitorCounter:
    def __init__(self, client: Redis, prefix: str = "hypehere:analytics:") -> None:
        self._r = client
        self._prefix = prefix
        self._salt: tuple[date, bytes] | None = None
        self._seen: tuple[date, set[str]] = (date.min, set())

    async def daily_salt(self, day: date) -> bytes:
        if self._salt is not None and self._salt[0] == day:
            return self._salt[1]
        key = f"{self._prefix}salt:{day.isoformat()}"
        mine = secrets.token_hex(32)
        await self._r.set(key, mine, nx=True, exat=_expires_at(day))
        value = await self._r.get(key)
        # None only for a day whose keys have already lapsed (nothing left to link to).
        if value is None:
            value = mine
        salt = value if isinstance(value, bytes) else str(value).encode()
        self._salt = (day, salt)
        return salt

    async def add(self, day: date, key: str) -> None:
        seen_day, seen = self._seen
        if seen_day != day:
            seen = set()
            self._seen = (day, seen)
        elif key in seen:
            return
        stamp = day.isoformat()
        expires = _expires_at(day)
        async with self._r.pipeline(transaction=False) as pipe:
            pipe.pfadd(f"{self._prefix}visitors:{stamp}", key)
            pipe.expireat(f"{self._prefix}visitors:{stamp}", expires)
            if is_user_key(key):
                pipe.pfadd(f"{self._prefix}users:{stamp}", key)
                pipe.expireat(f"{self._prefix}users:{stamp}", expires)
            await pipe.execute()
        if len(seen) < SEEN_PER_DAY:
            seen.add(key)  # only once Redis has it: a failed add is retried next time

    async def count(self, day: date) -> tuple[int, int]:
        stamp = day.isoformat()
        visitors = await self._r.pfcount(f"{self._prefix}visitors:{stamp}")
        users = await self._r.pfcount(f"{self._prefix}users:{stamp}")
        return int(visitors), int(users)
