"""Client frames that more than one channel accepts (chat and open rooms), and what they
share in handling them.

Naming: what a client sends is a `...Request`; what the server sends is a `...Frame`
(`application/chat/frames.py` for broadcasts, the channel modules for replies such as
`ack`). The wire `type` tags are the API's (`message`, `typing`, ...)."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer

from hypehere.application.chat.send_typing import SendTyping, SendTypingCommand
from hypehere.application.common.broker import BrokerMessage
from hypehere.application.common.realtime import decode_envelope
from hypehere.entrypoints.ws.gateway import Channel, Connection, Frame


class SendMessageRequest(Frame, tag="message"):
    content: str
    client_id: str | None = None


class TypingRequest(Frame, tag="typing"):
    pass


async def relay_typing(conn: Connection, container: AsyncContainer, topic: str) -> None:
    """A `TypingRequest` on a channel: the others on `topic` see it (never stored)."""
    typing = await container.get(SendTyping)
    await typing.execute(SendTypingCommand(actor=conn.actor, topic=topic, origin=conn.id))


class MessagesResyncFrame(Frame, tag="resync"):
    """Frames may have been lost: fetch the messages after `last_message_id` (the last one
    this socket was sent, as a broadcast or an ack; null: none yet) with `?after=`."""

    last_message_id: str | None


class _MessageId(msgspec.Struct):
    id: str


class _MessageProbe(msgspec.Struct):
    type: str
    message: _MessageId | None = None


_probe = msgspec.json.Decoder(_MessageProbe)


_NOT_IN_OUTAGE = ""


class MessageStreamChannel(Channel):
    """A channel whose stream is stored messages (a conversation, a room): it remembers the
    last message id its socket was sent, so a `resync` tells the client where to catch up:
    the last one sent before the outage began (later ones may have arrived after a gap)."""

    last_message_id: str | None = None
    _complete_until: str | None = _NOT_IN_OUTAGE

    def on_outage(self, conn: Connection) -> None:
        if self._complete_until == _NOT_IN_OUTAGE:
            self._complete_until = self.last_message_id

    def sent_message(self, message_id: str) -> None:
        """Record a message sent to this socket outside the broker (the sender's ack)."""
        self.last_message_id = message_id

    async def on_event(self, conn: Connection, message: BrokerMessage) -> None:
        envelope = decode_envelope(message.data)
        if envelope.origin != conn.id and (
            envelope.only_user_ids is None or conn.user_id in envelope.only_user_ids
        ):
            probe = _probe.decode(envelope.frame_for(conn.user_id))
            if probe.type == "message" and probe.message is not None:
                self.last_message_id = probe.message.id
        await super().on_event(conn, message)

    async def on_resync(self, conn: Connection) -> None:
        mark = self.last_message_id
        if self._complete_until != _NOT_IN_OUTAGE:
            mark, self._complete_until = self._complete_until, _NOT_IN_OUTAGE
        conn.send(MessagesResyncFrame(last_message_id=mark))
