"""In-memory search index for unit tests: `domain.search.rules` applied to a dict."""

from __future__ import annotations

from collections.abc import Sequence

from hypehere.domain.search import rules
from hypehere.domain.search.model import SearchDocument, SearchHits, SearchKind, SearchQuery


class InMemorySearchIndex:
    def __init__(self) -> None:
        self.documents: dict[tuple[SearchKind, str], SearchDocument] = {}

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        for doc in documents:
            self.documents[(doc.kind, doc.id)] = doc

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        for doc_id in ids:
            self.documents.pop((kind, doc_id), None)

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        for key in [
            k for k, doc in self.documents.items() if k[0] is kind and doc.owner_id == owner_id
        ]:
            del self.documents[key]

    async def clear(self, kind: SearchKind) -> None:
        for key in [key for key in self.documents if key[0] is kind]:
            del self.documents[key]

    async def search(self, query: SearchQuery, terms: Sequence[str]) -> SearchHits:
        scored: list[tuple[int, float, str]] = []
        for (kind, doc_id), doc in self.documents.items():
            if kind is not query.kind or doc.created_at > query.as_of:
                continue
            languages = query.language_filter()
            if languages and doc.language not in languages:
                continue
            if doc.owner_id is not None and doc.owner_id in query.exclude_owner_ids:
                continue
            typos = rules.match_typos(terms, doc.text)
            if typos is not None:
                scored.append((typos, -doc.created_at.timestamp(), doc_id))
        # newest first within a typo count; ties by id descending like the SQL adapters
        scored.sort(key=lambda item: (item[0], item[1], _descending(item[2])))
        ids = [doc_id for _t, _c, doc_id in scored]
        page = ids[query.offset : query.offset + query.limit + 1]
        return SearchHits(ids=page[: query.limit], has_more=len(page) > query.limit)


def _descending(value: str) -> tuple[int, ...]:
    return tuple(-ord(char) for char in value)
