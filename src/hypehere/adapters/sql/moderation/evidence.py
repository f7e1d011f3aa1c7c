"""A report's evidence column: the transcript an anonymous_conversation report attached
when filed, as JSON ([{from, content, created_at}]); NULL for every other report."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.domain.moderation.model import TranscriptLine
from hypehere.domain.shared.clock import ensure_utc


class _Line(msgspec.Struct, frozen=True):
    from_: str = msgspec.field(name="from")
    content: str
    created_at: datetime


def encode_transcript(transcript: tuple[TranscriptLine, ...] | None) -> str | None:
    if transcript is None:
        return None
    lines = [_Line(from_=t.from_, content=t.content, created_at=t.created_at) for t in transcript]
    return msgspec.json.encode(lines).decode()


def decode_transcript(value: str | None) -> tuple[TranscriptLine, ...] | None:
    if value is None:
        return None
    lines = msgspec.json.decode(value, type=list[_Line])
    return tuple(
        TranscriptLine(from_=t.from_, content=t.content, created_at=ensure_utc(t.created_at))
        for t in lines
    )
