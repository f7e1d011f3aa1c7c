"""Job `purge-deleted-accounts`: 30 days after a deletion request, remove the personal data
and the social graph for good; `users.state_changed` {state: deleted} tells the other modules
to remove the content."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import structlog

from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.ports import RefreshTokenRepository, SocialGraph, UserRepository
from hypehere.domain.users.rules import GRACE_PERIOD_DAYS

logger = structlog.get_logger(__name__)

BATCH = 100


class PurgeDeletedAccountsCommand(msgspec.Struct, frozen=True):
    batch_size: int = BATCH


class PurgeDeletedAccountsResult(msgspec.Struct, frozen=True):
    purged: int


class PurgeDeletedAccounts:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        graph: SocialGraph,
        tokens: RefreshTokenRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._graph = graph
        self._tokens = tokens
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: PurgeDeletedAccountsCommand) -> PurgeDeletedAccountsResult:
        purged = 0
        while True:
            now = self._clock.now()
            cutoff = now - timedelta(days=GRACE_PERIOD_DAYS)
            async with self._uow:
                ids = await self._users.deletion_requested_before(cutoff, cmd.batch_size)
                for user_id in ids:
                    user = await self._users.get(user_id)
                    if user is None or not user.purge_due(now):
                        continue
                    await self._graph.remove_all_edges(user.id)
                    await self._tokens.revoke_all_for_user(user.id, now)
                    user.purge(now)
                    user.revoke_tokens(now)
                    await self._users.save(user)
                    await stage_events(self._outbox, user.events)
                    purged += 1
            if len(ids) < cmd.batch_size:
                break
        logger.info("deleted_accounts_purged", count=purged)
        return PurgeDeletedAccountsResult(purged=purged)
