"""Keep a post's search document in step with the post (run on `feed.post_created`,
`feed.post_updated`, `feed.post_deleted`, `feed.post_removed`: `search/handlers.py`).

Reads the CURRENT state of the post and upserts or deletes its document, so redelivered,
duplicated or reordered events are harmless."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.search.ports import SearchIndex, SearchSource
from hypehere.domain.search.model import SearchKind

logger = structlog.get_logger(__name__)


class SyncPostToSearchCommand(msgspec.Struct, frozen=True):
    post_id: str


class SyncPostToSearch:
    def __init__(self, source: SearchSource, index: SearchIndex, uow: UnitOfWork) -> None:
        self._source = source
        self._index = index
        self._uow = uow

    async def execute(self, cmd: SyncPostToSearchCommand) -> None:
        async with self._uow:
            document = await self._source.post_document(cmd.post_id)
            if document is None:
                await self._index.delete(SearchKind.POSTS, [cmd.post_id])
            else:
                await self._index.upsert([document])
        logger.info("search_post_synced", post_id=cmd.post_id, indexed=document is not None)
