"""`AnonymousTranscripts` in process (the embedded default): per conversation its key,
its sealed entries and when they lapse; lapsed transcripts are dropped whenever the store
is used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypehere.adapters.crypto.transcript_cipher import new_key, seal, unseal
from hypehere.application.matching.transcript_ports import TranscriptEntry
from hypehere.domain.shared.clock import Clock


@dataclass
class _Transcript:
    key: bytes
    expires_at: datetime
    entries: list[bytes] = field(default_factory=list)


class InMemoryAnonymousTranscripts:
    def __init__(self, clock: Clock, ttl: timedelta) -> None:
        self._clock = clock
        self._ttl = ttl
        self._transcripts: dict[str, _Transcript] = {}

    def _purge(self) -> datetime:
        now = self._clock.now()
        for conversation_id in [cid for cid, t in self._transcripts.items() if t.expires_at <= now]:
            del self._transcripts[conversation_id]
        return now

    async def append(
        self, conversation_id: str, started_at: datetime, entry: TranscriptEntry
    ) -> None:
        now = self._purge()
        expires_at = started_at + self._ttl
        if expires_at <= now:
            return
        transcript = self._transcripts.setdefault(
            conversation_id, _Transcript(key=new_key(), expires_at=expires_at)
        )
        transcript.entries.append(seal(transcript.key, conversation_id, entry))

    async def read(self, conversation_id: str) -> list[TranscriptEntry]:
        self._purge()
        transcript = self._transcripts.get(conversation_id)
        if transcript is None:
            return []
        return [unseal(transcript.key, conversation_id, e) for e in transcript.entries]

    def stored(self) -> dict[str, list[bytes]]:
        """The sealed entries held (what a memory dump would show), for tests."""
        return {cid: list(t.entries) for cid, t in self._transcripts.items()}
