"""Client frames that more than one channel accepts (chat and open rooms), and what they
share in handling them.

Naming: what a client sends is a `...Request`; what the server sends is a `...Frame`
(`application/chat/frames.py` for broadcasts, the channel modules for replies such as
`ack`). The wire `type` tags are the API's (`message`, `typing`, ...)."""

from __future__ import annotations

from dishka import AsyncContainer

from hypehere.application.chat.send_typing import SendTyping, SendTypingCommand
from hypehere.entrypoints.ws.gateway import Connection, Frame


class SendMessageRequest(Frame, tag="message"):
    content: str
    client_id: str | None = None


class TypingRequest(Frame, tag="typing"):
    pass


async def relay_typing(conn: Connection, container: AsyncContainer, topic: str) -> None:
    """A `TypingRequest` on a channel: the others on `topic` see it (never stored)."""
    typing = await container.get(SendTyping)
    await typing.execute(SendTypingCommand(actor=conn.actor, topic=topic, origin=conn.id))
