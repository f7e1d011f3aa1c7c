"""Ending live sessions across processes.

A socket is authenticated at the handshake; what happens to the account afterwards reaches
it through the broker: the use case that ends sessions (logout, password change, suspension,
ban, deletion) publishes `SessionsRevoked` on `user_sessions_topic(user_id)` after its
commit, and every process closes the matching sockets of that user. The socket's own
heartbeat re-verifies its token too, so a lost control frame only delays the close.
"""

from __future__ import annotations

from typing import Protocol

import msgspec


class SessionsRevoked(msgspec.Struct, frozen=True):
    """`close_code` is 4401 when the token is no longer valid (sign in again) and 4403 when
    the account may not use sockets any more (suspended, banned, deleted). `session_id`
    narrows the close to the sockets opened with tokens of one session (refresh-token
    family, e.g. a logout on one device); `None` closes all of the user's sockets."""

    reason: str
    close_code: int
    session_id: str | None = None


class AccountStatusChanged(msgspec.Struct, frozen=True):
    """On `account_status_topic()`: `user_id`'s status (state, role, `tokens_valid_after`,
    revoked sessions, interface language) or public card (handle, nickname, avatar)
    changed, so every process drops what it cached of it. A frame with `probe` set and no
    `user_id` is a process checking that its own subscription is live (it enables its
    caches when its probe comes back)."""

    user_id: str = ""
    probe: str = ""


class AccountStatusCacheControl(Protocol):
    """This process's caches of account data (status, author cards), as the use cases that
    change an account see them (`SessionControl` calls it; `account_caches.AccountCaches`)."""

    def hold(self, user_id: str) -> None:
        """A change of `user_id` is about to commit: stop serving and filling its entry until
        `invalidate` (or a safety deadline), so no request after the commit reads the old
        status from this process's cache."""
        ...

    def invalidate(self, user_id: str) -> None:
        """`user_id`'s status changed (committed): drop it and end its hold."""
        ...
