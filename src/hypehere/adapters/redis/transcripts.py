"""`AnonymousTranscripts` in Redis. Keys (under `prefix`, `hypehere:transcript:` by
default): `<id>:key` the conversation's AES-GCM key (SET NX, so concurrent first appends
share one key) and `<id>:entries` a list of sealed entries; both expire at the
conversation's start plus the TTL (EXPIREAT), so Redis itself drops them.

An append is on every relayed message's path, so each process remembers the keys it has
used (at most `max_cached_keys`, least recently used first out): with the key known, an
append is ONE round trip, a MULTI that puts the key back should Redis have lost it
(SET NX), reads it back and pushes the entry. Only the first append of a conversation in
a process costs a second one (drawing or fetching the key). Had another process's key taken
the place of a lost one meanwhile, the entry is taken out again and sealed under the key
stored: every entry decrypts with the key beside it (`read` skips one that does not, which
a reader could only meet during that repair)."""

from __future__ import annotations

import math
from collections import OrderedDict
from datetime import datetime, timedelta

import structlog
from cryptography.exceptions import InvalidTag
from redis.asyncio import Redis

from hypehere.adapters.crypto.transcript_cipher import new_key, seal, unseal
from hypehere.application.matching.transcript_ports import TranscriptEntry
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)

DEFAULT_CACHED_KEYS = 10_000
"""Conversation keys remembered per process (32 bytes each)."""


class RedisAnonymousTranscripts:
    def __init__(
        self,
        client: Redis,
        clock: Clock,
        ttl: timedelta,
        prefix: str = "hypehere:transcript:",
        max_cached_keys: int = DEFAULT_CACHED_KEYS,
    ) -> None:
        self._redis = client
        self._clock = clock
        self._ttl = ttl
        self._prefix = prefix
        self._max_cached_keys = max_cached_keys
        self._known: OrderedDict[str, bytes] = OrderedDict()

    def _keys(self, conversation_id: str) -> tuple[str, str]:
        base = f"{self._prefix}{conversation_id}"
        return f"{base}:key", f"{base}:entries"

    def _remember(self, conversation_id: str, key: bytes) -> None:
        self._known[conversation_id] = key
        self._known.move_to_end(conversation_id)
        while len(self._known) > self._max_cached_keys:
            self._known.popitem(last=False)

    async def _shared_key(self, key_key: str, at: int) -> bytes | None:
        """The conversation's key, drawn here unless another append drew it first."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key_key, new_key(), nx=True, exat=at)
            pipe.get(key_key)
            _, key = await pipe.execute()
        return bytes(key) if key is not None else None

    async def append(
        self, conversation_id: str, started_at: datetime, entry: TranscriptEntry
    ) -> None:
        expires_at = started_at + self._ttl
        if expires_at <= self._clock.now():
            return
        at = math.ceil(expires_at.timestamp())
        key_key, entries_key = self._keys(conversation_id)
        key = self._known.get(conversation_id)
        if key is None:
            key = await self._shared_key(key_key, at)
            if key is None:  # lapsed between the two commands
                return
        sealed = seal(key, conversation_id, entry)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key_key, key, nx=True, exat=at)
            pipe.get(key_key)
            pipe.rpush(entries_key, sealed)
            pipe.expireat(entries_key, at)
            _, stored, _, _ = await pipe.execute()
        if stored is None:  # lapsed meanwhile: Redis dropped both
            self._known.pop(conversation_id, None)
            return
        if bytes(stored) != key:
            key = bytes(stored)
            logger.warning("transcript_key_replaced", conversation_id=conversation_id)
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.lrem(entries_key, -1, sealed)  # type: ignore[arg-type]  # bytes are fine
                pipe.rpush(entries_key, seal(key, conversation_id, entry))
                pipe.expireat(entries_key, at)
                await pipe.execute()
        self._remember(conversation_id, key)

    async def read(self, conversation_id: str) -> list[TranscriptEntry]:
        key_key, entries_key = self._keys(conversation_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(key_key)
            pipe.lrange(entries_key, 0, -1)
            key, entries = await pipe.execute()
        if key is None:
            return []
        found = []
        for sealed in entries:
            try:
                found.append(unseal(bytes(key), conversation_id, bytes(sealed)))
            except InvalidTag:
                logger.warning("transcript_entry_skipped", conversation_id=conversation_id)
        return found
