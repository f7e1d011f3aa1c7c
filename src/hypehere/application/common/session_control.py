"""Publishing `SessionsRevoked` (application/common/sessions.py) after a commit, and telling
every process's account-status cache that an account changed.

The use cases that end sessions (logout, password change, suspension, ban, deactivation,
deletion, a replayed refresh token) call `revoke_after_commit` inside their unit of work: the
control frame goes out on `user_sessions_topic(user_id)` once the change is durable, never
for a rolled-back one. On the topic a frame is the bare `SessionsRevoked` as msgspec JSON
(`encode_revoked`; a subscriber reads it with `decode_revoked`).

Every status change (those, and the ones that end no session: a role change, lifting a
suspension or ban, a new interface language) and every change of an account's public card
(handle, nickname, avatar: the author-card cache) also reaches the account caches
(`status_changed_after_commit`; `revoke_after_commit` does it too): this process's cache is
held at once (inside the transaction: it serves and fills nothing for that user until the
change is published) and invalidated after the commit, and `AccountStatusChanged` goes out on
`account_status_topic()` for the other processes, in the same broker round trip as the
sockets' frame. Publishing is best effort (pub/sub is at most once): the state is in the
database, a socket's own re-verification catches what a lost frame misses, and the caches
drop everything on a broker outage (`account_status_cache.py`); a failed publish is logged,
never raised."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.broker import Broker
from hypehere.application.common.sessions import (
    AccountStatusCacheControl,
    AccountStatusChanged,
    SessionsRevoked,
)
from hypehere.application.common.topics import account_status_topic, user_sessions_topic
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
    def __init__(self, broker: Broker, cache: AccountStatusCacheControl | None = None) -> None:
        self._broker = broker
        self._cache = cache

    def revoke_after_commit(self, uow: UnitOfWork, user_id: str, revoked: SessionsRevoked) -> None:
        """Publish `revoked` for `user_id` once the transaction open in `uow` commits (and
        invalidate the account's cached status everywhere)."""
        if self._cache is not None:
            self._cache.hold(user_id)
        uow.after_commit(lambda: self._publish(user_id, revoked))

    def status_changed_after_commit(self, uow: UnitOfWork, user_id: str) -> None:
        """`user_id`'s status or public card changes in the transaction open in `uow`, with
        no session to end: invalidate what is cached of it everywhere once it commits."""
        if self._cache is not None:
            self._cache.hold(user_id)
        uow.after_commit(lambda: self._publish(user_id, None))

    async def _publish(self, user_id: str, revoked: SessionsRevoked | None) -> None:
        if self._cache is not None:
            self._cache.invalidate(user_id)
        messages = [(account_status_topic(), msgspec.json.encode(AccountStatusChanged(user_id)))]
        if revoked is not None:
            messages.insert(0, (user_sessions_topic(user_id), encode_revoked(revoked)))
        try:
            await self._broker.publish_many(messages)
        except Exception:
            logger.warning(
                "sessions_revoked_publish_failed",
                user_id=user_id,
                reason=revoked.reason if revoked is not None else "status_changed",
                exc_info=True,
            )
