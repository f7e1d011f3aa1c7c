"""Keep a user's search document in step with the account (run on `users.registered`,
`users.profile_updated`, `users.state_changed`: `search/handlers.py`).

Reads the CURRENT state of the user and upserts or deletes its document, so redelivered,
duplicated or reordered events are harmless."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.search.ports import SearchIndex, SearchSource
from hypehere.domain.search.model import SearchKind

logger = structlog.get_logger(__name__)


class SyncUserToSearchCommand(msgspec.Struct, frozen=True):
    user_id: str
    # The account was purged: its posts go too (a purge deletes them without post events).
    purged: bool = False


class SyncUserToSearch:
    def __init__(self, source: SearchSource, index: SearchIndex, uow: UnitOfWork) -> None:
        self._source = source
        self._index = index
        self._uow = uow

    async def execute(self, cmd: SyncUserToSearchCommand) -> None:
        async with self._uow:
            document = await self._source.user_document(cmd.user_id)
            if document is None:
                await self._index.delete(SearchKind.USERS, [cmd.user_id])
                if cmd.purged:
                    await self._index.delete_owned(SearchKind.POSTS, cmd.user_id)
            else:
                await self._index.upsert([document])
        logger.info("search_user_synced", user_id=cmd.user_id, indexed=document is not None)
