"""Publishing `SessionsRevoked` (application/common/sessions.py) after a commit.

The use cases that end sessions (logout, password change, suspension, ban, deactivation,
deletion) call `revoke_after_commit` inside their unit of work: the control frame goes out
on `user_sessions_topic(user_id)` once the change is durable, never for a rolled-back one.
On the topic a frame is the bare `SessionsRevoked` as msgspec JSON (`encode_revoked`; a
subscriber reads it with `decode_revoked`). Publishing is best effort (pub/sub is at most
once): the state is in the database, and a socket's own re-verification catches what a lost
frame misses; a failed publish is logged, never raised."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.broker import Broker
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.topics import user_sessions_topic
from hypehere.application.common.uow import UnitOfWork

logger = structlog.get_logger(__name__)

# close codes (API.md): the token is no longer valid / the account may not use sockets
CLOSE_SIGN_IN_AGAIN = 4401
CLOSE_NOT_ALLOWED = 4403

_decoder = msgspec.json.Decoder(SessionsRevoked)


def encode_revoked(revoked: SessionsRevoked) -> bytes:
    return msgspec.json.encode(revoked)


def decode_revoked(data: bytes) -> SessionsRevoked:
    return _decoder.decode(data)


class SessionControl:
    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    def revoke_after_commit(self, uow: UnitOfWork, user_id: str, revoked: SessionsRevoked) -> None:
        """Publish `revoked` for `user_id` once the transaction open in `uow` commits."""
        uow.after_commit(lambda: self._publish(user_id, revoked))

    async def _publish(self, user_id: str, revoked: SessionsRevoked) -> None:
        try:
            await self._broker.publish(user_sessions_topic(user_id), encode_revoked(revoked))
        except Exception:
            logger.warning(
                "sessions_revoked_publish_failed",
                user_id=user_id,
                reason=revoked.reason,
                exc_info=True,
            )
