"""`AnonymousSeat`: what one socket knows of its live anonymous conversation. Read from the
database when the socket opens (and again at each re-verification and after a broker
outage), then kept current by the socket's own frames and by the conversation's broker
frames, so that relaying a message or a WebRTC signal reads nothing from the database.

What can change during the chat, and how the seat learns it:
- the reveal: the `revealed` frame both sides get (`observe`), or the outcome of this
  socket's own answer;
- my first message: checked before it is relayed while the seat says I have not replied;
  the `from: me` frames of my other sockets' messages tell it that I have;
- the end (both left, a block, abandoned) and my leaving: the frame that announces it
  closes the socket (`close_user_id`); `observe` also marks the seat ended, so nothing is
  relayed in between. A frame lost in a broker outage is made up for by reading the seat
  again (`merge`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.matching.frames import (
    AnonymousMessageFrame,
    ConversationEndedFrame,
    RevealedFrame,
)
from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.model import ChatMode

REVEALED = RevealedFrame.__struct_config__.tag
ENDED = ConversationEndedFrame.__struct_config__.tag
MESSAGE = AnonymousMessageFrame.__struct_config__.tag


@dataclass(slots=True)
class AnonymousSeat:
    conversation_id: str
    user_id: str
    partner_id: str
    mode: ChatMode
    started_at: datetime
    revealed: bool
    replied: bool
    """I sent at least one message (my first one was checked and relayed)."""
    ended: bool = False

    @classmethod
    def of(cls, conversation: AnonymousConversation, user_id: str) -> AnonymousSeat:
        return cls(
            conversation_id=conversation.id,
            user_id=user_id,
            partner_id=conversation.partner_of(user_id).user_id,
            mode=conversation.mode,
            started_at=conversation.started_at,
            revealed=conversation.revealed,
            replied=conversation.participant(user_id).replied,
            ended=conversation.ended,
        )

    @property
    def topic(self) -> str:
        return anonymous_conversation_topic(self.conversation_id)

    def merge(self, fresh: AnonymousSeat) -> None:
        """What was read again: each flag only ever goes from False to True, so a read
        that raced a frame never takes news back."""
        self.revealed = self.revealed or fresh.revealed
        self.replied = self.replied or fresh.replied
        self.ended = self.ended or fresh.ended

    def observe(self, frame_type: str, *, mine: bool = False) -> None:
        """A frame this socket is about to forward to its client; `mine`: a message
        `from: me` (another socket of mine sent it, so I have replied)."""
        if frame_type == REVEALED:
            self.revealed = True
        elif frame_type == ENDED:
            self.ended = True
        elif frame_type == MESSAGE and mine:
            self.replied = True
