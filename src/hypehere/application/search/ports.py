"""Ports of the search module: the index itself, where documents come from, and the
reader that renders hits from the current rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hypehere.application.search.views import LessonResult, PostResult, UserResult
from hypehere.domain.search.model import SearchDocument, SearchHits, SearchKind, SearchQuery


class SearchIndex(Protocol):
    """A full-text index of posts, users and lessons (Meilisearch, or SQL full-text).

    Writes are idempotent (upsert by kind + id; deleting a missing id is fine) and visible
    to `search` once the call returns. Unreachable backends raise StorageUnavailableError.
    SQL adapters write in the caller's transaction: call them inside `async with uow:`."""

    async def upsert(self, documents: Sequence[SearchDocument]) -> None: ...

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None: ...

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        """Remove every document of this kind owned by `owner_id` (a purged account)."""
        ...

    async def clear(self, kind: SearchKind) -> None:
        """Remove every document of this kind (before a full reindex)."""
        ...

    async def search(self, query: SearchQuery, terms: Sequence[str]) -> SearchHits:
        """Ids matching every term (see `domain.search.rules`), best first.

        `terms` are `rules.query_terms(query.text)`; adapters with their own query parser
        (Meilisearch) use `query.text`."""
        ...


class SearchSource(Protocol):
    """The current state of what is indexed, read from the owning modules' tables.

    `None` means "must not be in the index" (missing, removed, hidden author or account)."""

    async def post_document(self, post_id: str) -> SearchDocument | None: ...

    async def user_document(self, user_id: str) -> SearchDocument | None: ...

    async def lesson_documents(self, lesson_id: str) -> list[SearchDocument]:
        """The lesson's documents, one per language it is written in (`lesson_documents`
        in `domain.search.model`); empty when the lesson does not exist."""
        ...

    async def documents(
        self, kind: SearchKind, after_id: str | None, limit: int
    ) -> list[SearchDocument]:
        """Indexable documents of `kind` with id > after_id, by id (for a full reindex)."""
        ...


class SearchResultReader(Protocol):
    """Renders hits for a viewer, in the given order, dropping anything the viewer may not
    see now (removed posts, hidden or banned accounts, blocks in either direction)."""

    async def hidden_owner_ids(self, viewer_id: str) -> frozenset[str]:
        """Users the viewer blocks or is blocked by."""
        ...

    async def posts(self, ids: Sequence[str], viewer_id: str | None) -> list[PostResult]: ...

    async def users(self, ids: Sequence[str], viewer_id: str | None) -> list[UserResult]: ...

    async def searcher_languages(self, viewer_id: str) -> tuple[str, ...]:
        """The viewer's native language, then their target languages (empty: unknown)."""
        ...

    async def lessons(
        self, lesson_ids: Sequence[str], display_languages: Sequence[str]
    ) -> list[LessonResult]:
        """The lessons that still exist, in the given order, texts in the first of
        `display_languages` the content has."""
        ...
