"""Rebuild the search index from the current rows (`hypehere jobs run search-reindex`)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.search.ports import SearchIndex, SearchSource
from hypehere.domain.search.model import SearchKind

logger = structlog.get_logger(__name__)

INDEXED_KINDS: tuple[SearchKind, ...] = (SearchKind.POSTS, SearchKind.USERS, SearchKind.LESSONS)


class ReindexSearchCommand(msgspec.Struct, frozen=True):
    kinds: tuple[SearchKind, ...] = INDEXED_KINDS
    batch_size: int = 500


class ReindexSearchResult(msgspec.Struct, frozen=True):
    indexed: dict[str, int]


class ReindexSearch:
    """Clears each kind, then upserts every indexable document in id order, one
    transaction per batch. Events delivered meanwhile are safe: they re-read the rows."""

    def __init__(self, source: SearchSource, index: SearchIndex, uow: UnitOfWork) -> None:
        self._source = source
        self._index = index
        self._uow = uow

    async def execute(self, cmd: ReindexSearchCommand) -> ReindexSearchResult:
        counts: dict[str, int] = {}
        for kind in cmd.kinds:
            async with self._uow:
                await self._index.clear(kind)
            count = 0
            after: str | None = None
            while True:
                async with self._uow:
                    batch = await self._source.documents(kind, after, cmd.batch_size)
                    if batch:
                        await self._index.upsert(batch)
                if not batch:
                    break
                count += len(batch)
                after = batch[-1].id
            counts[kind.value] = count
            logger.info("search_reindexed", kind=kind.value, documents=count)
        return ReindexSearchResult(indexed=counts)
