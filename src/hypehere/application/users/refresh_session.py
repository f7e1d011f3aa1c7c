"""Rotate a refresh token; presenting a spent one revokes its whole family (its access
tokens refused from the next request on, `SessionsRevoked` 4401 for its sockets). A session (a
family) lives at most `session_max_age_days` from its login, however often it rotates."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.session_control import CLOSE_SIGN_IN_AGAIN, SessionControl
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.sessions import SessionIssuer, hash_refresh_token
from hypehere.application.users.views import TokenPair
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import InvalidRefreshTokenError
from hypehere.domain.users.ports import RefreshTokenRepository, UserRepository

logger = structlog.get_logger(__name__)


class RefreshSessionCommand(msgspec.Struct, frozen=True):
    refresh_token: str


class RefreshSession:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: RefreshTokenRepository,
        outbox: OutboxWriter,
        sessions: SessionIssuer,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        self._control = control
        self._uow = uow
        self._users = users
        self._tokens = tokens
        self._outbox = outbox
        self._sessions = sessions
        self._clock = clock

    async def execute(self, cmd: RefreshSessionCommand) -> TokenPair:
        now = self._clock.now()
        reused = False
        async with self._uow:
            token = await self._tokens.get_by_hash(hash_refresh_token(cmd.refresh_token))
            if (
                token is None
                or token.is_expired(now)
                or token.session_outlived(self._sessions.policy.session_max_age, now)
            ):
                raise InvalidRefreshTokenError("The refresh token is not valid")
            if token.revoked_at is not None and token.used_at is None:
                raise InvalidRefreshTokenError("The refresh token is not valid")
            if token.used_at is not None or not await self._tokens.mark_used(token.id, now):
                # Already rotated: someone replays an old token. Kill the whole family
                # (committed), then refuse.
                await self._tokens.revoke_family(token.family_id, now)
                self._control.revoke_after_commit(
                    self._uow,
                    token.user_id,
                    SessionsRevoked(
                        reason="refresh_token_reused",
                        close_code=CLOSE_SIGN_IN_AGAIN,
                        session_id=token.family_id,
                    ),
                )
                reused = True
            else:
                user = await self._users.get(token.user_id)
                if user is None:
                    raise InvalidRefreshTokenError("The refresh token is not valid")
                user.ensure_may_act(now)
                user.last_active_at = now
                await self._users.save(user)
                await stage_events(self._outbox, user.events)
                pair = await self._sessions.issue(user, now, continues=token)
        if reused:
            logger.warning("refresh_token_reused", user_id=token.user_id, family_id=token.family_id)
            raise InvalidRefreshTokenError("The refresh token is not valid")
        return pair
