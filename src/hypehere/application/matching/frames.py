"""Real-time frames the matching use cases publish (after commit) to
`matching.user.{id}` (`/ws/matching`) and `matching.conversation.{id}`
(`/ws/anonymous-chat/{id}`). Server -> client; each serializes with its `type` tag."""

from __future__ import annotations

import msgspec


class LearnedLanguageOut(msgspec.Struct, frozen=True):
    language: str
    level: str


class AnonymousPartner(msgspec.Struct, frozen=True):
    """All that is known of an anonymous partner before the reveal."""

    native_language: str
    target_languages: list[LearnedLanguageOut]


class MatchingFrame(msgspec.Struct, frozen=True, tag_field="type"):
    pass


class QueuePositionFrame(MatchingFrame, frozen=True, tag="queue_position"):
    position: int
    estimated_wait_seconds: int


class MatchedFrame(MatchingFrame, frozen=True, tag="matched"):
    conversation_id: str
    partner: AnonymousPartner


class ExpiredFrame(MatchingFrame, frozen=True, tag="expired"):
    """The entry waited longer than the queue allows and was dropped."""


class PartnerJoinedFrame(MatchingFrame, frozen=True, tag="partner_joined"):
    pass


class PartnerLeftFrame(MatchingFrame, frozen=True, tag="partner_left"):
    pass


class ConversationEndedFrame(MatchingFrame, frozen=True, tag="ended"):
    """The conversation ended for both (everyone left, a block, or it was abandoned)."""

    reason: str
