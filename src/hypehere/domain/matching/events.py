"""Matching events for usage statistics (matches made, waits, durations, reveals per
language pair per day). They name no user: analytics counts, it does not need who."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.policy import Pair
from hypehere.domain.shared.events import DomainEvent


def language_pair_of(first_native: str, second_native: str) -> tuple[str, str]:
    """The two native languages, sorted: the key statistics are grouped by."""
    low, high = sorted((first_native, second_native))
    return (low, high)


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnersMatched(DomainEvent):
    topic: ClassVar[str] = "matching.matched"
    conversation_id: str
    mode: str
    fit: str
    language_pair: tuple[str, str]
    wait_seconds: tuple[float, float]

    @classmethod
    def of(cls, conversation_id: str, pair: Pair, now: datetime) -> PartnersMatched:
        return cls(
            occurred_at=now,
            conversation_id=conversation_id,
            mode=pair.chooser.mode.value,
            fit=pair.fit.name.lower(),
            language_pair=language_pair_of(
                pair.chooser.native_language, pair.partner.native_language
            ),
            wait_seconds=(pair.chooser.waited_seconds(now), pair.partner.waited_seconds(now)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AnonymousConversationEnded(DomainEvent):
    """`reason`: left (both left), blocked, or abandoned (`anonymous-cleanup`)."""

    topic: ClassVar[str] = "matching.conversation_ended"
    conversation_id: str
    mode: str
    language_pair: tuple[str, str]
    duration_seconds: float
    revealed: bool
    reason: str

    @classmethod
    def of(cls, conversation: AnonymousConversation, reason: str) -> AnonymousConversationEnded:
        ended_at = conversation.ended_at or conversation.started_at
        first, second = conversation.participants
        return cls(
            occurred_at=ended_at,
            conversation_id=conversation.id,
            mode=conversation.mode.value,
            language_pair=language_pair_of(first.native_language, second.native_language),
            duration_seconds=max((ended_at - conversation.started_at).total_seconds(), 0.0),
            revealed=conversation.revealed,
            reason=reason,
        )
