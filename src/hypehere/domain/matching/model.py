"""What the matcher pairs: queue entries, and a user's standing in anonymous chats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hypehere.domain.shared.languages import CefrLevel

REPEAT_WINDOW_HOURS = 24
"""The same two people are not paired again within this many hours."""


class ChatMode(StrEnum):
    TEXT = "text"
    VIDEO = "video"


@dataclass(frozen=True, slots=True)
class LearnedLanguage:
    language: str
    level: CefrLevel


@dataclass(frozen=True, slots=True)
class Standing:
    """A user's record in anonymous chats, the input of responsiveness (`priority`).

    `replied`: chats in which the user answered the partner at least once; `early_leaves`:
    chats the user left in the first minute; `upheld_reports`: reports against the user that
    staff upheld in the last 90 days."""

    chats: int = 0
    replied: int = 0
    early_leaves: int = 0
    upheld_reports: int = 0

    def priority(self) -> float:
        """How fast this user's waiting time counts, 0.25 .. 1.5; a newcomer counts 1.0.

        `0.5 + reply_rate - early_leave_rate - 0.25 x upheld_reports`, clamped, where the
        reply rate is smoothed towards one half with two imaginary chats (one answered) and
        the early-leave rate is taken over the chats plus those two, so a handful of chats
        moves it only a little. See `policy` for a worked example."""
        reply_rate = (self.replied + 1) / (self.chats + 2)
        early_leave_rate = self.early_leaves / (self.chats + 2)
        raw = 0.5 + reply_rate - early_leave_rate - 0.25 * self.upheld_reports
        return min(max(raw, MIN_PRIORITY), MAX_PRIORITY)


MIN_PRIORITY = 0.25
MAX_PRIORITY = 1.5


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One user waiting for a partner. `targets` are the languages the user learns, in
    order of preference; the languages given when queueing override the profile's."""

    user_id: str
    native_language: str
    targets: tuple[LearnedLanguage, ...]
    mode: ChatMode
    joined_at: datetime
    standing: Standing = field(default_factory=Standing)

    def learns(self, language: str) -> LearnedLanguage | None:
        for target in self.targets:
            if target.language == language:
                return target
        return None

    def waited_seconds(self, now: datetime) -> float:
        return max((now - self.joined_at).total_seconds(), 0.0)

    def effective_wait(self, now: datetime) -> float:
        """Seconds waited, scaled by the user's standing."""
        return self.waited_seconds(now) * self.standing.priority()
