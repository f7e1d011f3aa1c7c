"""`AnonymousTranscripts` in Redis. Keys (under `prefix`, `hypehere:transcript:` by
default): `<id>:key` the conversation's AES-GCM key (SET NX, so concurrent first appends
share one key) and `<id>:entries` a list of sealed entries; both expire at the
conversation's start plus the TTL (EXPIREAT), so Redis itself drops them."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from redis.asyncio import Redis

from hypehere.adapters.crypto.transcript_cipher import new_key, seal, unseal
from hypehere.application.matching.transcript_ports import TranscriptEntry
from hypehere.domain.shared.clock import Clock


class RedisAnonymousTranscripts:
    def __init__(
        self,
        client: Redis,
        clock: Clock,
        ttl: timedelta,
        prefix: str = "hypehere:transcript:",
    ) -> None:
        self._redis = client
        self._clock = clock
        self._ttl = ttl
        self._prefix = prefix

    def _keys(self, conversation_id: str) -> tuple[str, str]:
        base = f"{self._prefix}{conversation_id}"
        return f"{base}:key", f"{base}:entries"

    async def append(
        self, conversation_id: str, started_at: datetime, entry: TranscriptEntry
    ) -> None:
        expires_at = started_at + self._ttl
        if expires_at <= self._clock.now():
            return
        at = math.ceil(expires_at.timestamp())
        key_key, entries_key = self._keys(conversation_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key_key, new_key(), nx=True, exat=at)
            pipe.get(key_key)
            _, key = await pipe.execute()
        if key is None:  # lapsed between the two commands
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(entries_key, seal(bytes(key), conversation_id, entry))
            pipe.expireat(entries_key, at)
            await pipe.execute()

    async def read(self, conversation_id: str) -> list[TranscriptEntry]:
        key_key, entries_key = self._keys(conversation_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(key_key)
            pipe.lrange(entries_key, 0, -1)
            key, entries = await pipe.execute()
        if key is None:
            return []
        return [unseal(bytes(key), conversation_id, bytes(e)) for e in entries]
