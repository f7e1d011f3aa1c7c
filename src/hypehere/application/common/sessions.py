"""Ending live sessions across processes.

A socket is authenticated at the handshake; what happens to the account afterwards reaches
it through the broker: the use case that ends sessions (logout, password change, suspension,
ban, deletion) publishes `SessionsRevoked` on `user_sessions_topic(user_id)` after its
commit, and every process closes the matching sockets of that user. The socket's own
heartbeat re-verifies its token too, so a lost control frame only delays the close.
"""

from __future__ import annotations

import msgspec


class SessionsRevoked(msgspec.Struct, frozen=True):
    """`close_code` is 4401 when the token is no longer valid (sign in again) and 4403 when
    the account may not use sockets any more (suspended, banned, deleted). `session_id`
    narrows the close to the sockets opened with tokens of one session (refresh-token
    family, e.g. a logout on one device); `None` closes all of the user's sockets."""

    reason: str
    close_code: int
    session_id: str | None = None
