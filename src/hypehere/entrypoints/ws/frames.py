"""Client frames that more than one channel accepts (chat and open rooms).

Naming: what a client sends is a `...Request`; what the server sends is a `...Frame`
(`application/chat/frames.py` for broadcasts, the channel modules for replies such as
`ack`). The wire `type` tags are the API's (`message`, `typing`, ...)."""

from __future__ import annotations

from hypehere.entrypoints.ws.gateway import Frame


class SendMessageRequest(Frame, tag="message"):
    content: str
    client_id: str | None = None


class TypingRequest(Frame, tag="typing"):
    pass
