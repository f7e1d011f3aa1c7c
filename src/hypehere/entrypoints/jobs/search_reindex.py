"""search-reindex: rebuild the search index from the current posts, users and lessons rows.

Run it after pointing HYPEHERE_MEILISEARCH_URL at a new (empty) Meilisearch, or to repair
an index; not scheduled. `payload["kinds"]` (e.g. ["users"]) limits it to some kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from dishka import AsyncContainer

from hypehere.application.search.reindex_search import (
    INDEXED_KINDS,
    ReindexSearch,
    ReindexSearchCommand,
)
from hypehere.domain.search.model import SearchKind

log = structlog.get_logger(__name__)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    kinds = tuple(SearchKind(k) for k in payload.get("kinds", ())) or INDEXED_KINDS
    async with container() as request:
        use_case = await request.get(ReindexSearch)
        result = await use_case.execute(ReindexSearchCommand(kinds=kinds))
    log.info("search_reindex_finished", indexed=result.indexed)
