"""Real-time frames published through the Broker to WebSocket connections in any process.

A use case publishes a frame (a msgspec Struct whose tag field is `type`) to a topic AFTER
its transaction committed. Every WebSocket connection subscribed to that topic, in every
process, receives an `Envelope` and forwards `frame` verbatim to its client, unless the
envelope says otherwise:

- `origin`: the connection that caused the event (it already got an `ack`) is skipped;
- `only_user_ids`: deliver only to connections of these users;
- `user_frames`: what connections of the users named get instead of `frame` (one publish
  for frames that differ by reader, as an anonymous message is `from: partner` for the
  partner and `from: me` for the sender's other sockets);
- `close_user_id`/`close_code`: after delivering, connections of that user on this topic are
  closed (used when someone is kicked or banned from a room).

Publishing is best effort (pub/sub is at most once): the state is in the database, and clients
catch up over HTTP (`?after=`) after a reconnect. A failed publish is logged, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
import structlog

from hypehere.application.common.broker import Broker
from hypehere.domain.shared.errors import DomainError

logger = structlog.get_logger(__name__)


class Envelope(msgspec.Struct, frozen=True, omit_defaults=True):
    frame: msgspec.Raw
    origin: str | None = None
    only_user_ids: list[str] | None = None
    user_frames: dict[str, msgspec.Raw] | None = None
    close_user_id: str | None = None
    close_code: int = 4403

    def frame_for(self, user_id: str) -> msgspec.Raw:
        """The frame a connection of `user_id` gets."""
        if self.user_frames is not None:
            return self.user_frames.get(user_id, self.frame)
        return self.frame


_encoder = msgspec.json.Encoder()
_envelope_decoder = msgspec.json.Decoder(Envelope)


def encode_envelope(
    frame: msgspec.Struct,
    *,
    origin: str | None = None,
    only_user_ids: Sequence[str] | None = None,
    user_frames: Mapping[str, msgspec.Struct] | None = None,
    close_user_id: str | None = None,
    close_code: int = 4403,
) -> bytes:
    return _encoder.encode(
        Envelope(
            frame=msgspec.Raw(_encoder.encode(frame)),
            origin=origin,
            only_user_ids=list(only_user_ids) if only_user_ids is not None else None,
            user_frames=(
                {user: msgspec.Raw(_encoder.encode(f)) for user, f in user_frames.items()}
                if user_frames
                else None
            ),
            close_user_id=close_user_id,
            close_code=close_code,
        )
    )


def decode_envelope(data: bytes) -> Envelope:
    return _envelope_decoder.decode(data)


class RealtimePublisher:
    """Publishes frames to topics; failures are logged, the committed state stays."""

    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def publish(
        self,
        topic: str,
        frame: msgspec.Struct,
        *,
        origin: str | None = None,
        only_user_ids: Sequence[str] | None = None,
        user_frames: Mapping[str, msgspec.Struct] | None = None,
        close_user_id: str | None = None,
        close_code: int = 4403,
    ) -> None:
        data = encode_envelope(
            frame,
            origin=origin,
            only_user_ids=only_user_ids,
            user_frames=user_frames,
            close_user_id=close_user_id,
            close_code=close_code,
        )
        try:
            await self._broker.publish(topic, data)
        except (DomainError, OSError) as exc:
            logger.warning("realtime_publish_failed", topic=topic, error=type(exc).__name__)
