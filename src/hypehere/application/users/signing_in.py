"""What the two ways into an account share (signing up, logging in): their ports, and
opening a session for the user in the open transaction."""

from __future__ import annotations

from datetime import datetime

from hypehere.application.common.accounts import AccountView
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.ports import EmailValidator, PasswordHasher
from hypehere.application.users.sessions import SessionIssuer
from hypehere.application.users.views import SessionResult
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.model import User
from hypehere.domain.users.ports import UserRepository


class SigningIn:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        outbox: OutboxWriter,
        hasher: PasswordHasher,
        emails: EmailValidator,
        sessions: SessionIssuer,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._outbox = outbox
        self._hasher = hasher
        self._emails = emails
        self._sessions = sessions
        self._clock = clock

    async def _open_session(self, user: User, now: datetime) -> SessionResult:
        """A new session (token pair) for `user`, with their account view."""
        tokens = await self._sessions.issue(user, now)
        return SessionResult(user=AccountView.of(user), tokens=tokens)
