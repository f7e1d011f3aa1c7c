"""Anonymous chat, live: opening the socket, relaying WebRTC signalling to the partner, the
reveal (messages: `anonymous_messages`). Nothing here is stored in the database but the
conversation's own state (who left, who accepted the reveal, who replied).

Relaying reads no database: the socket's `AnonymousSeat` (read when it opened, kept current
by the conversation's frames) says who the partner is, the mode, whether identities are
revealed and whether my first message was checked yet."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.anonymous_seat import AnonymousSeat
from hypehere.application.matching.frames import (
    AnswerFrame,
    IceCandidateFrame,
    OfferFrame,
    PartnerJoinedFrame,
    PartnerLeftFrame,
    RevealDeclinedFrame,
    RevealedFrame,
    RevealRequestFrame,
    SignalFrame,
)
from hypehere.application.matching.get_anonymous_conversation import load_for
from hypehere.application.matching.ports import (
    AnonymousConversations,
    MatchingPeers,
)
from hypehere.domain.matching.conversation import AnonymousConversation, RevealOutcome
from hypehere.domain.matching.errors import (
    ConversationEndedError,
    SignalTooLargeError,
    VideoOnlyError,
)
from hypehere.domain.matching.model import ChatMode
from hypehere.domain.shared.clock import Clock

MAX_SIGNAL_BYTES = 16384
"""The largest WebRTC signalling payload relayed (an SDP offer is a few KiB)."""

SIGNAL_FRAMES: dict[str, type[SignalFrame]] = {
    "webrtc.offer": OfferFrame,
    "webrtc.answer": AnswerFrame,
    "webrtc.ice_candidate": IceCandidateFrame,
}


async def _open_conversation(
    conversations: AnonymousConversations, conversation_id: str, user_id: str
) -> AnonymousConversation:
    conversation = await load_for(conversations, conversation_id, user_id)
    if conversation.ended:
        raise ConversationEndedError("The conversation has ended.")
    return conversation


class OpenAnonymousChannelCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str
    origin: str | None = None
    announce: bool = True
    """False when an open socket is authorized again (re-verification): the partner is not
    told `partner_joined` again."""


class OpenAnonymousChannel:
    """Authorize a socket (participants of an unfinished conversation who have not left
    it: leaving is for good). The partner gets `partner_joined` (unless `announce` is
    False). Returns the socket's seat (its broker topic: `seat.topic`)."""

    def __init__(
        self, uow: UnitOfWork, conversations: AnonymousConversations, publisher: RealtimePublisher
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._publisher = publisher

    async def execute(self, cmd: OpenAnonymousChannelCommand) -> AnonymousSeat:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await _open_conversation(self._conversations, cmd.conversation_id, me)
            if conversation.participant(me).left_at is not None:
                raise ConversationEndedError("You have left this conversation.")
            seat = AnonymousSeat.of(conversation, me)

            async def announce() -> None:
                await self._publisher.publish(
                    seat.topic,
                    PartnerJoinedFrame(),
                    only_user_ids=[seat.partner_id],
                    origin=cmd.origin,
                )

            if cmd.announce:
                self._uow.after_commit(announce)
        return seat


class AnnounceDepartureCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str
    origin: str | None = None


class AnnounceDeparture:
    """A socket closed: the partner gets `partner_left` (leaving for good is
    `LeaveAnonymousConversation`, which told them already: a socket closing after I left
    announces nothing)."""

    def __init__(
        self, uow: UnitOfWork, conversations: AnonymousConversations, publisher: RealtimePublisher
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._publisher = publisher

    async def execute(self, cmd: AnnounceDepartureCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await load_for(self._conversations, cmd.conversation_id, me)
        if conversation.ended or conversation.participant(me).left_at is not None:
            return
        await self._publisher.publish(
            anonymous_conversation_topic(conversation.id),
            PartnerLeftFrame(),
            only_user_ids=[conversation.partner_of(me).user_id],
            origin=cmd.origin,
        )


class RelaySignalCommand(msgspec.Struct, frozen=True):
    seat: AnonymousSeat
    kind: str
    payload: msgspec.Raw


class RelaySignal:
    """WebRTC signalling, video mode only: relayed verbatim to the partner only (no
    database read: the seat knows the mode and the partner)."""

    def __init__(self, publisher: RealtimePublisher) -> None:
        self._publisher = publisher

    async def execute(self, cmd: RelaySignalCommand) -> None:
        seat = cmd.seat
        frame_type = SIGNAL_FRAMES[cmd.kind]
        if len(cmd.payload) > MAX_SIGNAL_BYTES:
            raise SignalTooLargeError("The signalling payload is too large.")
        if seat.ended:
            raise ConversationEndedError("The conversation has ended.")
        if seat.mode is not ChatMode.VIDEO:
            raise VideoOnlyError("WebRTC signalling is for video conversations only.")
        await self._publisher.publish(
            seat.topic, frame_type(payload=cmd.payload), only_user_ids=[seat.partner_id]
        )


class AnswerRevealCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str
    accept: bool


class AnswerReveal:
    """`reveal_request` / `reveal_accept` (accept=True) and `reveal_decline`."""

    def __init__(
        self,
        uow: UnitOfWork,
        conversations: AnonymousConversations,
        peers: MatchingPeers,
        publisher: RealtimePublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._peers = peers
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: AnswerRevealCommand) -> RevealOutcome:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await _open_conversation(self._conversations, cmd.conversation_id, me)
            partner = conversation.partner_of(me).user_id
            if cmd.accept:
                outcome = conversation.accept_reveal(me, self._clock.now())
            else:
                outcome = conversation.decline_reveal(me)
            if outcome is RevealOutcome.IGNORED:
                return outcome
            await self._conversations.save(conversation)
            topic = anonymous_conversation_topic(conversation.id)
            frames: list[tuple[msgspec.Struct, str]] = []
            if outcome is RevealOutcome.REQUESTED:
                frames.append((RevealRequestFrame(), partner))
            elif outcome is RevealOutcome.DECLINED:
                frames.append((RevealDeclinedFrame(), partner))
            else:
                profiles = await self._peers.public_profiles([me, partner])
                if me in profiles and partner in profiles:
                    frames.append((RevealedFrame(me=profiles[me], partner=profiles[partner]), me))
                    frames.append(
                        (RevealedFrame(me=profiles[partner], partner=profiles[me]), partner)
                    )

            async def publish() -> None:
                for frame, reader in frames:
                    await self._publisher.publish(topic, frame, only_user_ids=[reader])

            self._uow.after_commit(publish)
        return outcome
