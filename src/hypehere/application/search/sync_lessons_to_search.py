"""Keep lessons' search documents in step with the curriculum (after `hypehere learning
load-curriculum` and staff edits). Reads the CURRENT lessons, so running it again is
harmless: a lesson that exists is upserted in every language it is written in (and its
documents in languages it no longer has are deleted); a lesson that is gone is deleted."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.search.ports import SearchIndex, SearchSource
from hypehere.domain.search.model import SearchKind, lesson_document_id

logger = structlog.get_logger(__name__)


class SyncLessonsToSearchCommand(msgspec.Struct, frozen=True):
    lesson_ids: tuple[str, ...]
    # Every language a lesson may have been indexed in (stale documents to delete).
    languages: tuple[str, ...] = ()


class SyncLessonsToSearch:
    def __init__(self, source: SearchSource, index: SearchIndex, uow: UnitOfWork) -> None:
        self._source = source
        self._index = index
        self._uow = uow

    async def execute(self, cmd: SyncLessonsToSearchCommand) -> int:
        """Returns how many documents are indexed for these lessons now."""
        indexed = 0
        async with self._uow:
            for lesson_id in cmd.lesson_ids:
                documents = await self._source.lesson_documents(lesson_id)
                kept = {document.id for document in documents}
                stale = [
                    lesson_document_id(lesson_id, language)
                    for language in cmd.languages
                    if lesson_document_id(lesson_id, language) not in kept
                ]
                await self._index.delete(SearchKind.LESSONS, stale)
                await self._index.upsert(documents)
                indexed += len(documents)
        logger.info("search_lessons_synced", lessons=len(cmd.lesson_ids), documents=indexed)
        return indexed
