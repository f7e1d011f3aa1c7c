"""SQL full-text search index: SQLite FTS5 (trigram) and PostgreSQL tsvector + pg_trgm.

Both follow `domain.search.rules` in two phases:
1. exact: documents containing every term (a substring test the indexes answer), newest
   first, paged in SQL;
2. typos: only when a page reaches past the exact hits, candidates sharing trigrams with
   the terms (at most `max_candidates`, newest first) are checked with the rules in Python
   and ordered by typos, then newest.
Writes go through the caller's session: call them inside the unit of work."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import (
    ColumnElement,
    Integer,
    Table,
    and_,
    column,
    delete,
    false,
    literal,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.tables.search import SearchDocumentRow
from hypehere.domain.search import rules
from hypehere.domain.search.model import SearchDocument, SearchHits, SearchKind, SearchQuery

logger = structlog.get_logger(__name__)

_T: Table = SearchDocumentRow.__table__  # type: ignore[attr-defined]
MAX_CANDIDATES = 1000
_BIND_NAMES = itertools.count()  # text() clauses need distinct bind names in one statement


def _like_escape(char: str) -> str:
    return "\\" + char if char in "\\%_" else char


def _contains(term: str) -> str:
    return "%" + "".join(_like_escape(c) for c in term) + "%"


class _SqlSearchIndex:
    dialect = ""

    def __init__(self, session: AsyncSession, *, max_candidates: int = MAX_CANDIDATES) -> None:
        self._session = session
        self._max_candidates = max_candidates

    # --- writes ---
    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        rows = [
            {
                "kind": doc.kind.value,
                "doc_id": doc.id,
                "body": rules.normalize(doc.text),
                "language": doc.language,
                "owner_id": doc.owner_id,
                "created_at": doc.created_at,
            }
            for doc in documents
        ]
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = insert(_T)
        statement = statement.on_conflict_do_update(
            index_elements=[_T.c.kind, _T.c.doc_id],
            set_={
                "body": statement.excluded.body,
                "language": statement.excluded.language,
                "owner_id": statement.excluded.owner_id,
                "created_at": statement.excluded.created_at,
            },
        )
        async with translate_errors():
            await self._session.execute(statement, rows)

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        if not ids:
            return
        async with translate_errors():
            await self._session.execute(
                delete(_T).where(_T.c.kind == kind.value, _T.c.doc_id.in_(list(ids)))
            )

    async def clear(self, kind: SearchKind) -> None:
        async with translate_errors():
            await self._session.execute(delete(_T).where(_T.c.kind == kind.value))

    # --- reads ---
    def _exact(self, term: str) -> ColumnElement[bool]:
        raise NotImplementedError

    def _fuzzy(self, term: str) -> ColumnElement[bool]:
        raise NotImplementedError

    async def _prepare(self) -> None:
        """Per-query session settings (none by default)."""

    def _filters(self, query: SearchQuery) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [
            _T.c.kind == query.kind.value,
            _T.c.created_at <= query.as_of,
        ]
        if query.language is not None:
            clauses.append(_T.c.language == query.language)
        if query.exclude_owner_ids:
            clauses.append(
                or_(_T.c.owner_id.is_(None), _T.c.owner_id.not_in(sorted(query.exclude_owner_ids)))
            )
        return clauses

    async def search(self, query: SearchQuery, terms: Sequence[str]) -> SearchHits:
        if not terms:
            return SearchHits(ids=[], has_more=False)
        wanted = query.offset + query.limit + 1
        filters = self._filters(query)
        exact_all = and_(*[self._exact(term) for term in terms])
        async with translate_errors():
            exact_ids = list(
                (
                    await self._session.execute(
                        select(_T.c.doc_id)
                        .where(*filters, exact_all)
                        .order_by(_T.c.created_at.desc(), _T.c.doc_id.desc())
                        .limit(wanted)
                    )
                ).scalars()
            )
            ranked = exact_ids
            if len(exact_ids) < wanted and any(rules.typo_budget(t) for t in terms):
                ranked = exact_ids + await self._typo_hits(filters, exact_all, terms)
        page = ranked[query.offset : query.offset + query.limit + 1]
        return SearchHits(ids=page[: query.limit], has_more=len(page) > query.limit)

    async def _typo_hits(
        self,
        filters: list[ColumnElement[bool]],
        exact_all: ColumnElement[bool],
        terms: Sequence[str],
    ) -> list[str]:
        await self._prepare()
        per_term = [
            or_(self._exact(term), self._fuzzy(term))
            if rules.typo_budget(term)
            else self._exact(term)
            for term in terms
        ]
        rows = (
            await self._session.execute(
                select(_T.c.doc_id, _T.c.body, _T.c.created_at)
                .where(*filters, *per_term, not_(exact_all))
                .order_by(_T.c.created_at.desc(), _T.c.doc_id.desc())
                .limit(self._max_candidates)
            )
        ).all()
        scored: list[tuple[int, int, str]] = []
        for position, (doc_id, body, _created_at) in enumerate(rows):
            typos = rules.match_typos(terms, body)
            if typos is not None:
                scored.append((typos, position, doc_id))
        scored.sort()
        if len(rows) == self._max_candidates:
            logger.info("search_candidates_capped", candidates=len(rows))
        return [doc_id for _typos, _position, doc_id in scored]


class SqliteSearchIndex(_SqlSearchIndex):
    """FTS5 with the trigram tokenizer: a quoted term is a substring lookup; a term that
    may have typos is looked up by any of its trigrams, plus one-edit LIKE patterns for
    5-character terms (whose trigrams one edit can all destroy). Terms shorter than three
    characters (too short for trigrams) fall back to LIKE."""

    dialect = "sqlite"

    @staticmethod
    def _fts(match: str) -> ColumnElement[bool]:
        name = f"fts_{next(_BIND_NAMES)}"
        fts = text(
            f"SELECT rowid FROM search_documents_fts WHERE search_documents_fts MATCH :{name}"
        ).bindparams(**{name: match})
        return _T.c.seq.in_(fts.columns(column("rowid", Integer)))

    @staticmethod
    def _quote(fragment: str) -> str:
        return '"' + fragment.replace('"', '""') + '"'

    def _exact(self, term: str) -> ColumnElement[bool]:
        if len(term) < 3:
            return _T.c.body.like(_contains(term), escape="\\")
        return self._fts(self._quote(term))

    def _fuzzy(self, term: str) -> ColumnElement[bool]:
        clauses: list[ColumnElement[bool]] = [
            self._fts(" OR ".join(self._quote(t) for t in dict.fromkeys(rules.trigrams(term))))
        ]
        if rules.needs_edit_patterns(term):
            for pattern in rules.edit_patterns(term, wildcard="_", escape=_like_escape):
                clauses.append(_T.c.body.like("%" + pattern + "%", escape="\\"))
        return or_(*clauses)


class PostgresSearchIndex(_SqlSearchIndex):
    """tsvector (GIN) for whole words, pg_trgm (GIN gin_trgm_ops) for substrings and, with
    `<%` word similarity, for typos."""

    dialect = "postgresql"
    word_similarity_threshold = 0.3

    def _exact(self, term: str) -> ColumnElement[bool]:
        like = _T.c.body.like(_contains(term), escape="\\")
        if not term.isalnum():
            return like
        name = f"tsq_{next(_BIND_NAMES)}"
        tsv = text(
            f"to_tsvector('simple', search_documents.body) @@ plainto_tsquery('simple', :{name})"
        ).bindparams(**{name: term})
        return or_(tsv, like)  # a whole-word hit is always a substring hit

    def _fuzzy(self, term: str) -> ColumnElement[bool]:
        if len(term) < 3:
            return false()
        condition: ColumnElement[bool] = literal(term).op("<%")(_T.c.body)
        return condition

    async def _prepare(self) -> None:
        await self._session.execute(
            text("SELECT set_config('pg_trgm.word_similarity_threshold', :v, true)"),
            {"v": str(self.word_similarity_threshold)},
        )


def sql_search_index(session: AsyncSession) -> _SqlSearchIndex:
    """The adapter matching the session's database."""
    bind: Any = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        return PostgresSearchIndex(session)
    return SqliteSearchIndex(session)


__all__ = ["PostgresSearchIndex", "SqliteSearchIndex", "sql_search_index"]
