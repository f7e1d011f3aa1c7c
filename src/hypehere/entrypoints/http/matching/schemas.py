"""Request and response bodies of the matching endpoints."""

from __future__ import annotations

import msgspec

from hypehere.domain.matching.model import ChatMode


class JoinQueueIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    mode: ChatMode
    native_language: str | None = None
    target_language: str | None = None


class QueueStatusOut(msgspec.Struct, frozen=True):
    position: int
    estimated_wait_seconds: int
