"""The anonymous conversations' encrypted transcripts: kept only so that a report can
attach one (`anonymous_conversation` reports), for `HYPEHERE_ANONYMOUS_TRANSCRIPT_HOURS`
from the conversation's start, then nothing remains. Never in the SQL database: in process
(embedded default) or in Redis with a TTL, each conversation under its own random AES-GCM
key kept beside its entries (and lapsing with them)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec


class TranscriptEntry(msgspec.Struct, frozen=True):
    """One relayed message as the transcript keeps it."""

    sender_id: str
    content: str
    created_at: datetime


class AnonymousTranscripts(Protocol):
    async def append(
        self, conversation_id: str, started_at: datetime, entry: TranscriptEntry
    ) -> None:
        """Encrypt the entry and append it to the conversation's transcript (the first
        append draws the conversation's key). The transcript lapses `ttl` after
        `started_at`; an entry for a conversation started longer ago is not kept."""
        ...

    async def read(self, conversation_id: str) -> list[TranscriptEntry]:
        """The decrypted entries, in the order appended; [] when there is no transcript
        (none relayed, or lapsed)."""
        ...
