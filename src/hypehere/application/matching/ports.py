"""Ports of the matching module: the queue and its matcher lock (Redis across processes,
in-process in the embedded default), the anonymous conversations, and what matching needs
to know about users."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from hypehere.application.matching.views import PublicProfile
from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.model import LearnedLanguage, QueueEntry
from hypehere.domain.matching.policy import Exclusions, Pair

RoundPlanner = Callable[[list[QueueEntry]], Awaitable[list[Pair]]]
"""Plans one round over a snapshot of the queue (reads exclusions, runs `plan_round`)."""


class JoinOutcome(StrEnum):
    JOINED = "joined"
    ALREADY_QUEUED = "already_queued"
    BEING_MATCHED = "being_matched"
    """A round just paired the user; their conversation is being opened."""


class MatchingQueue(Protocol):
    """The waiting users, one entry per user, shared by every process of a deployment."""

    async def join(self, entry: QueueEntry) -> JoinOutcome:
        """Add the entry unless the user is already queued, or was just paired by a round
        whose conversations are not opened yet (`release_matched` not called yet); then
        nothing changes. Atomic under concurrent joins of the same user."""
        ...

    async def leave(self, user_id: str) -> QueueEntry | None:
        """Remove the user's entry; the entry removed, or None if there was none."""
        ...

    async def get(self, user_id: str) -> QueueEntry | None: ...

    async def snapshot(self) -> list[QueueEntry]:
        """Every waiting entry, oldest first."""
        ...

    async def run_round(self, plan: RoundPlanner, now: datetime) -> list[Pair] | None:
        """One matcher round under the queue's lock (one round at a time across every
        process): `plan` gets a snapshot; the pairs it returns leave the queue atomically
        and are recorded as recent partners (met at `now`). A pair one of whose entries
        left or changed since the snapshot is skipped. The pairs made; None when another
        round holds the lock (the caller then asks for a rerun with `request_round`)."""
        ...

    async def restore(self, pairs: Sequence[Pair]) -> None:
        """A round's pairs whose conversations could not be opened: put both entries back
        as they were (same `joined_at`, so the same place in line; an entry the user has
        made since is kept) and forget that the two met. Call before `release_matched`."""
        ...

    async def socket_opened(self, user_id: str) -> None:
        """A `/ws/matching` socket of the user opened (in some process)."""
        ...

    async def socket_closed(self, user_id: str, at: datetime) -> None:
        """The user's last `/ws/matching` socket closed at `at` (or was found gone then)."""
        ...

    async def socket_marks(self) -> dict[str, datetime | None]:
        """For each QUEUED user with a socket mark: None while a socket is recorded open,
        else when it went away. A join clears a "gone" mark (a fresh entry is not dropped
        for an old close); "gone" marks of users not queued are dropped here."""
        ...

    async def release_matched(self, user_ids: Iterable[str]) -> None:
        """The conversations of users a round paired are open (or failed): they may queue
        again. Without a call, the mark lapses after a minute (Redis)."""
        ...

    async def request_round(self) -> None:
        """Ask the round running now (if any) to run once more when it ends."""
        ...

    async def take_round_request(self) -> bool:
        """Whether a rerun was asked for since the last call (and clear the request)."""
        ...

    async def recent_partners(
        self, user_ids: Iterable[str], since: datetime
    ) -> frozenset[frozenset[str]]:
        """The pairs among or around `user_ids` matched at or after `since`."""
        ...

    async def expire(self, joined_before: datetime) -> list[QueueEntry]:
        """Remove and return the entries queued before `joined_before`."""
        ...

    async def record_wait(self, line: tuple[str, str], seconds: float) -> None:
        """Remember how long a matched entry of this line (native, target) waited."""
        ...

    async def recent_waits(self, line: tuple[str, str]) -> list[float]:
        """The line's latest waits, oldest first (at most `waiting.RECENT_WAITS`)."""
        ...


@dataclass(frozen=True, slots=True)
class MatchingLimits:
    """From settings: how long an entry may wait, how long an anonymous conversation may
    stay open without anyone on it, how long an entry outlives its owner's last
    `/ws/matching` socket."""

    max_wait_minutes: float = 10.0
    abandoned_after_minutes: float = 30.0
    socket_grace_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class MatchingProfile:
    """What queueing needs of my profile: my languages, and whether I may be paired."""

    native_language: str
    targets: tuple[LearnedLanguage, ...]
    active: bool


class MatchingPeers(Protocol):
    """What matching reads about users (over the users module's published queries)."""

    async def profile(self, user_id: str) -> MatchingProfile | None: ...

    async def exclusions(self, user_ids: Sequence[str]) -> Exclusions:
        """Blocked pairs among `user_ids` (either way) and the users not active (suspended,
        banned, deactivated, deleted or gone); `recent` is left empty (the queue knows)."""
        ...

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool: ...

    async def public_profiles(self, user_ids: Sequence[str]) -> dict[str, PublicProfile]:
        """The public profiles of the users that exist and are visible."""
        ...


class AnonymousConversations(Protocol):
    async def add(self, conversation: AnonymousConversation) -> None: ...

    async def get(self, conversation_id: str) -> AnonymousConversation | None: ...

    async def save(self, conversation: AnonymousConversation) -> None:
        """Store the conversation's end, the participants' leave times and reveal answers."""
        ...

    async def record_reply(self, conversation_id: str, user_id: str) -> None:
        """`user_id` sent a message (`AnonymousConversation.record_message`), as one atomic
        write: nothing if they had already, or are not a participant."""
        ...

    async def open_for(self, user_id: str) -> AnonymousConversation | None:
        """The user's conversation that has not ended, if any."""
        ...

    async def ended_for(self, user_id: str, since: datetime) -> list[AnonymousConversation]:
        """The user's conversations started at or after `since` that have ended."""
        ...

    async def open_started_before(
        self, before: datetime, limit: int
    ) -> list[AnonymousConversation]:
        """Unfinished conversations started before `before`, oldest first."""
        ...


class MatcherTrigger(Protocol):
    """Starts a matcher round in the background (after a join has committed)."""

    def poke(self) -> None: ...


class FirstMessageVerdict(StrEnum):
    SAFE = "safe"
    FLAGGED = "flagged"
    UNAVAILABLE = "moderation_unavailable"  # no verdict in time (classifier down, timeout)


class FirstMessageCheck(Protocol):
    """The fail-closed check of each participant's first message of an anonymous chat,
    before it is relayed (implemented by the moderation module's classifier, with a short
    timeout). Never raises for an outage: it answers UNAVAILABLE."""

    async def check(self, text: str) -> FirstMessageVerdict: ...
