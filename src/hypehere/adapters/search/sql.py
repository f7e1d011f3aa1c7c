"""SQL full-text search index: SQLite FTS5 (trigram) and PostgreSQL tsvector + pg_trgm.

Both follow `domain.search.rules` in two phases:
1. exact: documents containing every term (a substring test the indexes answer), newest
   first, paged in SQL;
2. typos: only when a page reaches past the exact hits. For each term that allows typos,
   similar words are looked up in the word list `search_terms` (trigram index, at most
   `MAX_WORD_CANDIDATES` per term, then an exact edit-distance check); documents containing
   a term or one of its similar words (at most `max_candidates`, newest first) are checked
   with the rules and ordered by typos, then newest.
The edit distances (the rules' Levenshtein, computed by rapidfuzz in C) run in a worker
thread, never on the event loop: a query is at most `rules.MAX_QUERY_LENGTH` characters and
`rules.MAX_TERMS` terms, over at most `max_candidates` documents of at most a post's length.
Writes go through the caller's session: call them inside the unit of work."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import anyio.to_thread
import structlog
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    TextClause,
    and_,
    column,
    delete,
    func,
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
from hypehere.adapters.sql.search.tables import SearchDocumentRow, SearchTermRow
from hypehere.domain.search import rules
from hypehere.domain.search.model import SearchDocument, SearchHits, SearchKind, SearchQuery

logger = structlog.get_logger(__name__)

_T: Table = SearchDocumentRow.__table__  # type: ignore[attr-defined]
_W: Table = SearchTermRow.__table__  # type: ignore[attr-defined]
MAX_CANDIDATES = 1000
MAX_SIMILAR_WORDS = 50
MAX_WORD_CANDIDATES = 5000  # word-list rows read per term for the edit-distance check
MIN_WORD, MAX_WORD = 4, 64  # the word list keeps what a typo-tolerant term can match
_BIND_NAMES = itertools.count()  # text() clauses need distinct bind names in one statement


def _like_escape(char: str) -> str:
    return "\\" + char if char in "\\%_" else char


def _contains(term: str) -> str:
    return "%" + "".join(_like_escape(c) for c in term) + "%"


def fast_closest(term: str, candidates: Sequence[str], budget: int) -> int | None:
    """`rules.closest` in C: the smallest Levenshtein distance within `budget`, or None."""
    found = process.extractOne(term, candidates, scorer=Levenshtein.distance, score_cutoff=budget)
    return None if found is None else int(found[1])


def similar_words(term: str, words: Sequence[str], *, is_last: bool) -> list[str]:
    """The words within the term's typo budget (as a prefix too, for the last term), nearest
    first, at most `MAX_SIMILAR_WORDS`. CPU-bound: run it off the event loop."""
    budget = rules.typo_budget(term)
    scored: list[tuple[int, str]] = []
    size = len(term)
    for word in words:
        if word == term:
            continue
        candidates = [word, word[:size]] if is_last and len(word) > size else [word]
        distance = fast_closest(term, candidates, budget)
        if distance is not None:
            scored.append((distance, word))
    scored.sort()
    return [word for _distance, word in scored[:MAX_SIMILAR_WORDS]]


def rank_by_typos(terms: Sequence[str], bodies: Sequence[tuple[str, str]]) -> list[str]:
    """The ids of the (doc_id, body) pairs that match every term, fewest typos first (ties
    keep the given order). CPU-bound: run it off the event loop."""
    scored: list[tuple[int, int, str]] = []
    for position, (doc_id, body) in enumerate(bodies):
        typos = rules.match_typos(terms, body, closest=fast_closest)
        if typos is not None:
            scored.append((typos, position, doc_id))
    scored.sort()
    return [doc_id for _typos, _position, doc_id in scored]


def upsert_statements(
    dialect: str, documents: Sequence[SearchDocument]
) -> list[tuple[Any, list[dict[str, Any]]]]:
    """(statement, rows) pairs that upsert these documents and add their words to the word
    list: what `upsert` executes, and what a data migration runs on its own connection."""
    if not documents:
        return []
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
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
    words = sorted(
        {
            word
            for doc in documents
            for word in rules.words(doc.text)
            if MIN_WORD <= len(word) <= MAX_WORD
        }
    )
    out: list[tuple[Any, list[dict[str, Any]]]] = [(statement, rows)]
    for start in range(0, len(words), 1000):
        chunk = [{"word": w} for w in words[start : start + 1000]]
        out.append((insert(_W).on_conflict_do_nothing(index_elements=[_W.c.word]), chunk))
    return out


class _SqlSearchIndex:
    dialect = ""

    def __init__(self, session: AsyncSession, *, max_candidates: int = MAX_CANDIDATES) -> None:
        self._session = session
        self._max_candidates = max_candidates

    # --- writes ---
    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        async with translate_errors():
            for statement, rows in upsert_statements(self.dialect, documents):
                await self._session.execute(statement, rows)

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        if not ids:
            return
        async with translate_errors():
            await self._session.execute(
                delete(_T).where(_T.c.kind == kind.value, _T.c.doc_id.in_(list(ids)))
            )

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        async with translate_errors():
            await self._session.execute(
                delete(_T).where(_T.c.kind == kind.value, _T.c.owner_id == owner_id)
            )

    async def clear(self, kind: SearchKind) -> None:
        async with translate_errors():
            await self._session.execute(delete(_T).where(_T.c.kind == kind.value))

    # --- dialect hooks ---
    def _exact(self, term: str) -> ColumnElement[bool]:
        """Documents whose body contains `term`."""
        raise NotImplementedError

    def _any_word(self, words: Sequence[str]) -> ColumnElement[bool]:
        """Documents whose body contains one of `words` (a superset is fine)."""
        raise NotImplementedError

    async def _word_candidates(self, term: str, budget: int, is_last: bool) -> list[str]:
        """Words of the word list that may be within `budget` edits of `term`."""
        raise NotImplementedError

    def _matching(self, where: list[ColumnElement[bool]]) -> Select[Any]:
        """The documents matching `where`, newest first (columns: doc_id, body)."""
        return select(_T.c.doc_id, _T.c.body).where(*where)

    # --- reads ---
    def _filters(self, query: SearchQuery) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [
            _T.c.kind == query.kind.value,
            _T.c.created_at <= query.as_of,
        ]
        languages = query.language_filter()
        if languages:
            clauses.append(_T.c.language.in_(sorted(languages)))
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
            exact_ids = [
                row.doc_id
                for row in await self._session.execute(
                    self._ordered(self._matching([*filters, exact_all])).limit(wanted)
                )
            ]
            ranked = exact_ids
            if len(exact_ids) < wanted and any(rules.typo_budget(t) for t in terms):
                ranked = exact_ids + await self._typo_hits(filters, exact_all, terms)
        page = ranked[query.offset : query.offset + query.limit + 1]
        return SearchHits(ids=page[: query.limit], has_more=len(page) > query.limit)

    @staticmethod
    def _ordered(matching: Select[Any]) -> Select[Any]:
        return matching.order_by(_T.c.created_at.desc(), _T.c.doc_id.desc())

    async def _similar_words(self, term: str, is_last: bool) -> list[str]:
        budget = rules.typo_budget(term)
        words = await self._word_candidates(term, budget, is_last)
        return await anyio.to_thread.run_sync(lambda: similar_words(term, words, is_last=is_last))

    async def _typo_hits(
        self,
        filters: list[ColumnElement[bool]],
        exact_all: ColumnElement[bool],
        terms: Sequence[str],
    ) -> list[str]:
        per_term: list[ColumnElement[bool]] = []
        for index, term in enumerate(terms):
            similar: list[str] = []
            if rules.typo_budget(term):
                similar = await self._similar_words(term, index == len(terms) - 1)
            per_term.append(
                or_(self._exact(term), self._any_word(similar)) if similar else self._exact(term)
            )
        stmt = self._ordered(self._matching([*filters, *per_term, not_(exact_all)]))
        rows = (await self._session.execute(stmt.limit(self._max_candidates))).all()
        if len(rows) == self._max_candidates:
            logger.info("search_candidates_capped", candidates=len(rows))
        bodies = [(str(row.doc_id), str(row.body)) for row in rows]
        return await anyio.to_thread.run_sync(lambda: rank_by_typos(terms, bodies))


class SqliteSearchIndex(_SqlSearchIndex):
    """FTS5 with the trigram tokenizer: a quoted term is a substring lookup (terms shorter
    than three characters, too short for trigrams, use LIKE). Similar words come from the
    word list's own trigram index, plus one-edit LIKE patterns for 5-character terms (one
    edit can destroy all three of their trigrams)."""

    dialect = "sqlite"

    @staticmethod
    def _quote(fragment: str) -> str:
        return '"' + fragment.replace('"', '""') + '"'

    @staticmethod
    def _fts(table: str, match: str) -> TextClause:
        name = f"fts_{next(_BIND_NAMES)}"
        return text(f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}").bindparams(
            **{name: match}
        )

    def _exact(self, term: str) -> ColumnElement[bool]:
        if len(term) < 3:
            return _T.c.body.like(_contains(term), escape="\\")
        fts = self._fts("search_documents_fts", self._quote(term))
        return _T.c.seq.in_(fts.columns(column("rowid", Integer)))

    def _any_word(self, words: Sequence[str]) -> ColumnElement[bool]:
        fts = self._fts("search_documents_fts", " OR ".join(self._quote(w) for w in words))
        return _T.c.seq.in_(fts.columns(column("rowid", Integer)))

    async def _word_candidates(self, term: str, budget: int, is_last: bool) -> list[str]:
        grams = " OR ".join(self._quote(t) for t in dict.fromkeys(rules.trigrams(term)))
        fts = self._fts("search_terms_fts", grams).columns(column("rowid", Integer))
        found: list[ColumnElement[bool]] = [_W.c.id.in_(fts)]
        if rules.needs_edit_patterns(term):
            for pattern in rules.edit_patterns(term, wildcard="_", escape=_like_escape):
                found.append(_W.c.word.like("%" + pattern + "%", escape="\\"))
        length = func.length(_W.c.word)
        stmt = select(_W.c.word).where(or_(*found), length >= len(term) - budget)
        if not is_last:
            stmt = stmt.where(length <= len(term) + budget)
        return list((await self._session.execute(stmt.limit(MAX_WORD_CANDIDATES))).scalars())


class PostgresSearchIndex(_SqlSearchIndex):
    """pg_trgm GIN indexes answer substring lookups (LIKE) on documents and similarity
    lookups (`%`, `<%`) on the word list; tsvector (GIN) finds documents by whole words.
    Matching sets are materialized before ordering, so the planner does not walk the
    created_at index evaluating text conditions row by row."""

    dialect = "postgresql"

    def _exact(self, term: str) -> ColumnElement[bool]:
        return _T.c.body.like(_contains(term), escape="\\")

    def _any_word(self, words: Sequence[str]) -> ColumnElement[bool]:
        plain = [w for w in words if w.isascii() and w.isalnum()]
        other = [w for w in words if w not in plain]
        clauses: list[Any] = [_T.c.body.like(_contains(w), escape="\\") for w in other]
        if plain:
            name = f"tsq_{next(_BIND_NAMES)}"
            clauses.append(
                text(
                    f"to_tsvector('simple', search_documents.body) @@ to_tsquery('simple', :{name})"
                ).bindparams(**{name: " | ".join(plain)})
            )
        return or_(*clauses)

    def _matching(self, where: list[ColumnElement[bool]]) -> Select[Any]:
        matched = select(_T.c.seq).where(*where).cte().prefix_with("MATERIALIZED")
        return select(_T.c.doc_id, _T.c.body).where(_T.c.seq.in_(select(matched.c.seq)))

    async def _word_candidates(self, term: str, budget: int, is_last: bool) -> list[str]:
        # One edit leaves a 5-letter word a third of its padded trigrams, two edits leave a
        # 9-letter word a quarter: the thresholds let those through; Python checks the rest.
        threshold = "0.2" if budget >= 2 else "0.3"
        await self._session.execute(
            text(
                "SELECT set_config('pg_trgm.similarity_threshold', :t, true), "
                "set_config('pg_trgm.word_similarity_threshold', :t, true)"
            ),
            {"t": threshold},
        )
        similar: ColumnElement[bool] = _W.c.word.op("%")(literal(term))
        if is_last:
            similar = or_(similar, literal(term).op("<%")(_W.c.word))
        length = func.length(_W.c.word)
        stmt = select(_W.c.word).where(similar, length >= len(term) - budget)
        if not is_last:
            stmt = stmt.where(length <= len(term) + budget)
        return list((await self._session.execute(stmt.limit(MAX_WORD_CANDIDATES))).scalars())


def sql_search_index(session: AsyncSession) -> _SqlSearchIndex:
    """The adapter matching the session's database."""
    bind: Any = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        return PostgresSearchIndex(session)
    return SqliteSearchIndex(session)


__all__ = ["PostgresSearchIndex", "SqliteSearchIndex", "sql_search_index", "upsert_statements"]
