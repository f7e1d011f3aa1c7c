"""GET /search: typo-tolerant full-text search over posts, users and lessons."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.search.ports import SearchIndex, SearchResultReader
from hypehere.application.search.views import SearchResult
from hypehere.domain.search import rules
from hypehere.domain.search.errors import SearchTypeInvalidError
from hypehere.domain.search.model import SearchKind, SearchQuery, lesson_id_of
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest, encode_cursor

logger = structlog.get_logger(__name__)

_CLOCK_SKEW_MS = 24 * 3600 * 1000
_LESSON_HITS_PER_CALL = 100  # lesson documents read per index call while folding hits


class SearchContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    q: str | None
    type: str | None = None
    language: str | None = None
    limit: int | None = None
    cursor: str | None = None
    viewer: Actor | None = None
    # The request's language (interface language / Accept-Language): lesson titles are
    # shown in the viewer's native language, else this one, else English.
    fallback_language: str = "en"


class SearchContentResult(msgspec.Struct, frozen=True):
    items: list[SearchResult]
    next_cursor: str | None


def parse_kind(value: str | None) -> SearchKind:
    if value is None or not value.strip():
        return SearchKind.POSTS
    try:
        return SearchKind(value.strip().lower())
    except ValueError:
        raise SearchTypeInvalidError(
            "type must be one of posts, users, lessons", field="type"
        ) from None


def _position(cursor: tuple[object, ...] | None, now: datetime) -> tuple[int, int]:
    """(as_of in epoch milliseconds, offset) from the cursor, or a fresh start at `now`."""
    now_ms = int(now.timestamp() * 1000)
    if cursor is None:
        return now_ms, 0
    as_of_ms, offset = cursor
    # A cursor freezes a moment that has passed: a later one (give or take clock skew
    # between processes) was forged, and a huge one is no datetime at all.
    valid = (
        isinstance(as_of_ms, int)
        and isinstance(offset, int)
        and not isinstance(as_of_ms, bool)
        and not isinstance(offset, bool)
        and 0 <= as_of_ms <= now_ms + _CLOCK_SKEW_MS
        and 0 <= offset <= 100_000
    )
    if not valid:
        raise InvalidCursorError("The cursor is not valid")
    return int(as_of_ms), int(offset)  # type: ignore[call-overload]


class SearchContent:
    """Ranked hits come from the index; what is shown comes from the current rows, so a
    stale index entry (edited, removed, blocked, hidden) is never shown as it was.

    The cursor freezes the query's moment (`as_of`): documents created after the first
    page are left out of later pages, so paging never repeats a hit. `type=lessons`
    returns an empty page until the learning module indexes lessons."""

    def __init__(self, index: SearchIndex, reader: SearchResultReader, clock: Clock) -> None:
        self._index = index
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: SearchContentCommand) -> SearchContentResult:
        kind = parse_kind(cmd.type)
        language = parse_language(cmd.language) if cmd.language is not None else None
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        terms = rules.query_terms(cmd.q or "")
        as_of_ms, offset = _position(page.cursor, self._clock.now())
        if kind is SearchKind.LESSONS:
            return await self._lessons(cmd, terms, language, as_of_ms, offset, page.limit)
        viewer_id = cmd.viewer.user_id if cmd.viewer else None
        hidden = await self._reader.hidden_owner_ids(viewer_id) if viewer_id else frozenset()
        query = SearchQuery(
            kind=kind,
            text=cmd.q or "",
            language=language,
            as_of=datetime.fromtimestamp(as_of_ms / 1000, tz=UTC),
            offset=offset,
            limit=page.limit,
            exclude_owner_ids=hidden,
        )
        hits = await self._index.search(query, terms)
        items: list[SearchResult]
        if kind is SearchKind.POSTS:
            items = list(await self._reader.posts(hits.ids, viewer_id))
        else:
            items = list(await self._reader.users(hits.ids, viewer_id))
        next_offset = offset + len(hits.ids)
        next_cursor = encode_cursor((as_of_ms, next_offset)) if hits.has_more else None
        logger.info(
            "search_performed",
            kind=kind.value,
            terms=len(terms),
            hits=len(hits.ids),
            shown=len(items),
            offset=offset,
        )
        return SearchContentResult(items=items, next_cursor=next_cursor)

    async def _lessons(
        self,
        cmd: SearchContentCommand,
        terms: list[str],
        language: str | None,
        as_of_ms: int,
        offset: int,
        limit: int,
    ) -> SearchContentResult:
        own = await self._reader.searcher_languages(cmd.viewer.user_id) if cmd.viewer else ()
        query = SearchQuery(
            kind=SearchKind.LESSONS,
            text=cmd.q or "",
            language=language,
            languages=frozenset(own),
            as_of=datetime.fromtimestamp(as_of_ms / 1000, tz=UTC),
            offset=0,
            limit=_LESSON_HITS_PER_CALL,
        )
        wanted = offset + limit + 1
        lesson_ids: list[str] = []
        while len(lesson_ids) < wanted:
            hits = await self._index.search(query, terms)
            for document_id in hits.ids:
                lesson_id = lesson_id_of(document_id)
                if lesson_id not in lesson_ids:
                    lesson_ids.append(lesson_id)
            if not hits.has_more:
                break
            query = replace(query, offset=query.offset + len(hits.ids))
        window = lesson_ids[offset : offset + limit + 1]
        display = tuple(dict.fromkeys((*own[:1], cmd.fallback_language, "en")))
        items = list(await self._reader.lessons(window[:limit], display))
        has_more = len(window) > limit
        next_cursor = encode_cursor((as_of_ms, offset + limit)) if has_more else None
        logger.info(
            "search_performed",
            kind=SearchKind.LESSONS.value,
            terms=len(terms),
            hits=len(window[:limit]),
            shown=len(items),
            offset=offset,
        )
        return SearchContentResult(items=list[SearchResult](items), next_cursor=next_cursor)
