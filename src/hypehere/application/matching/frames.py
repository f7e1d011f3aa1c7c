"""Real-time frames the matching use cases publish (after commit) to
`matching.user.{id}` (`/ws/matching`) and `matching.conversation.{id}`
(`/ws/anonymous-chat/{id}`). Server -> client; each serializes with its `type` tag."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.matching.views import AnonymousPartner, PublicProfile


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


class AnonymousMessage(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A relayed message: `from` is "me" or "partner" for the reader; `sender_id` only
    once both revealed."""

    id: str
    conversation_id: str
    from_: str = msgspec.field(name="from")
    content: str
    client_id: str | None
    created_at: datetime
    sender_id: str | None = None


class AnonymousMessageFrame(MatchingFrame, frozen=True, tag="message"):
    message: AnonymousMessage


class MessageRejectedFrame(MatchingFrame, frozen=True, tag="message_rejected"):
    """To the sender only: their first message of the conversation was not relayed. `reason`:
    `flagged` (automatic moderation flagged it) or `moderation_unavailable` (no verdict in
    time: nothing is relayed unchecked; the next message is checked again)."""

    client_id: str | None
    reason: str


class AnonymousAckFrame(MatchingFrame, frozen=True, tag="ack"):
    client_id: str | None
    message: AnonymousMessage


class SignalFrame(MatchingFrame, frozen=True, tag_field="type"):
    payload: msgspec.Raw


class OfferFrame(SignalFrame, frozen=True, tag="webrtc.offer"):
    pass


class AnswerFrame(SignalFrame, frozen=True, tag="webrtc.answer"):
    pass


class IceCandidateFrame(SignalFrame, frozen=True, tag="webrtc.ice_candidate"):
    pass


class RevealRequestFrame(MatchingFrame, frozen=True, tag="reveal_request"):
    pass


class RevealDeclinedFrame(MatchingFrame, frozen=True, tag="reveal_declined"):
    pass


class RevealedFrame(MatchingFrame, frozen=True, tag="revealed"):
    """Both accepted: my own and my partner's public profile (a regular 1:1 conversation
    can be opened with `POST /conversations {user_id}`)."""

    me: PublicProfile
    partner: PublicProfile
