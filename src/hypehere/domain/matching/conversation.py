"""An anonymous conversation: two matched users who see only each other's languages until
both agree to reveal who they are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hypehere.domain.matching.errors import AnonymousConversationNotFoundError
from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry, Standing
from hypehere.domain.matching.policy import Pair

EARLY_LEAVE_SECONDS = 60
STANDING_WINDOW_DAYS = 90
"""How far back a user's anonymous chats count towards their `Standing`."""


@dataclass(slots=True)
class AnonymousParticipant:
    user_id: str
    native_language: str
    target_languages: tuple[LearnedLanguage, ...]
    left_at: datetime | None = None
    reveal_accepted: bool = False
    replied: bool = False
    """Sent at least one message (an input of `Standing`)."""

    @classmethod
    def of(cls, entry: QueueEntry) -> AnonymousParticipant:
        return cls(entry.user_id, entry.native_language, entry.targets)


class RevealOutcome(StrEnum):
    """What one side's answer did: nothing new (a repeated accept), a request now waiting
    for the partner, both accepted (identities revealed), or the request was declined."""

    IGNORED = "ignored"
    REQUESTED = "requested"
    REVEALED = "revealed"
    DECLINED = "declined"


@dataclass(slots=True)
class AnonymousConversation:
    id: str
    mode: ChatMode
    started_at: datetime
    participants: tuple[AnonymousParticipant, AnonymousParticipant]
    ended_at: datetime | None = None
    revealed_at: datetime | None = field(default=None)

    @classmethod
    def open(cls, conversation_id: str, pair: Pair, now: datetime) -> AnonymousConversation:
        return cls(
            id=conversation_id,
            mode=pair.chooser.mode,
            started_at=now,
            participants=(
                AnonymousParticipant.of(pair.chooser),
                AnonymousParticipant.of(pair.partner),
            ),
        )

    @property
    def user_ids(self) -> tuple[str, str]:
        return (self.participants[0].user_id, self.participants[1].user_id)

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    def is_participant(self, user_id: str) -> bool:
        return user_id in self.user_ids

    def participant(self, user_id: str) -> AnonymousParticipant:
        for participant in self.participants:
            if participant.user_id == user_id:
                return participant
        raise AnonymousConversationNotFoundError("The conversation was not found.")

    def partner_of(self, user_id: str) -> AnonymousParticipant:
        first, second = self.participants
        if first.user_id == user_id:
            return second
        if second.user_id == user_id:
            return first
        raise AnonymousConversationNotFoundError("The conversation was not found.")

    def leave(self, user_id: str, now: datetime) -> bool:
        """`user_id` leaves; True when this ended the conversation (everyone has left)."""
        me = self.participant(user_id)
        if me.left_at is None:
            me.left_at = now
        if self.ended_at is None and all(p.left_at is not None for p in self.participants):
            self.ended_at = now
            return True
        return False

    def end(self, now: datetime) -> bool:
        """End it for both (a block, an abandoned conversation); True if it was open."""
        if self.ended_at is not None:
            return False
        for participant in self.participants:
            if participant.left_at is None:
                participant.left_at = now
        self.ended_at = now
        return True

    def record_message(self, user_id: str) -> bool:
        """`user_id` sent a message; True the first time (the change to store)."""
        me = self.participant(user_id)
        if me.replied:
            return False
        me.replied = True
        return True

    def left_early(self, user_id: str) -> bool:
        """`user_id` left within `EARLY_LEAVE_SECONDS` of the start, before the partner."""
        me = self.participant(user_id)
        if me.left_at is None:
            return False
        partner_left = self.partner_of(user_id).left_at
        first_to_leave = partner_left is None or me.left_at < partner_left
        quick = (me.left_at - self.started_at).total_seconds() < EARLY_LEAVE_SECONDS
        return first_to_leave and quick

    def accept_reveal(self, user_id: str, now: datetime) -> RevealOutcome:
        """`reveal_request` and `reveal_accept` both count as this side's acceptance."""
        me = self.participant(user_id)
        if self.revealed or me.reveal_accepted:
            return RevealOutcome.IGNORED
        me.reveal_accepted = True
        if self.partner_of(user_id).reveal_accepted:
            self.revealed_at = now
            return RevealOutcome.REVEALED
        return RevealOutcome.REQUESTED

    def decline_reveal(self, user_id: str) -> RevealOutcome:
        """The partner's pending request is declined (both acceptances are cleared, so
        either side may ask again); ignored when nothing is pending or already revealed."""
        partner = self.partner_of(user_id)
        if self.revealed or not partner.reveal_accepted:
            return RevealOutcome.IGNORED
        partner.reveal_accepted = False
        self.participant(user_id).reveal_accepted = False
        return RevealOutcome.DECLINED


def standing_of(user_id: str, history: Iterable[AnonymousConversation]) -> Standing:
    """A user's `Standing` from their ended anonymous conversations: how many, in how many
    they answered at least once, how many they left early. Reports upheld against the user
    are not known here yet (no reports of anonymous partners exist): 0."""
    chats = replied = early = 0
    for conversation in history:
        if not conversation.ended or not conversation.is_participant(user_id):
            continue
        chats += 1
        replied += conversation.participant(user_id).replied
        early += conversation.left_early(user_id)
    return Standing(chats=chats, replied=replied, early_leaves=early)
