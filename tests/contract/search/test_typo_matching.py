"""The SQL search adapters' typo matching: the rules' Levenshtein definition computed in C
(rapidfuzz), and run off the event loop."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from hypehere.adapters.search import sql as sql_search
from hypehere.adapters.search.sql import SqliteSearchIndex, fast_closest, rank_by_typos
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.domain.search import rules
from hypehere.domain.search.model import SearchDocument, SearchKind, SearchQuery

T0 = datetime(2026, 1, 1, tzinfo=UTC)

_word = st.text(alphabet="abcdeé한글", min_size=0, max_size=12)


@given(term=_word, candidates=st.lists(_word, max_size=8), budget=st.integers(0, 3))
def test_fast_closest_is_the_rules_distance(term: str, candidates: list[str], budget: int) -> None:
    assert fast_closest(term, candidates, budget) == rules.closest(term, candidates, budget)


@given(
    terms=st.lists(st.text(alphabet="abcde", min_size=1, max_size=10), min_size=1, max_size=3),
    bodies=st.lists(st.text(alphabet="abcde ", max_size=40), max_size=6),
)
def test_ranking_follows_the_rules(terms: list[str], bodies: list[str]) -> None:
    docs = [(f"d{index}", body) for index, body in enumerate(bodies)]
    expected = sorted(
        (typos, index, doc_id)
        for index, (doc_id, body) in enumerate(docs)
        if (typos := rules.match_typos(terms, body)) is not None
    )
    assert rank_by_typos(terms, docs) == [doc_id for _typos, _index, doc_id in expected]


@pytest.fixture
async def factory(sqlite_url: str) -> AsyncIterator[Any]:
    engine = create_engine(sqlite_url)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM search_documents"))
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def test_edit_distances_run_off_the_event_loop(
    factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: dict[str, list[bool]] = {"similar_words": [], "rank_by_typos": []}

    def recorded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            threads[name].append(threading.current_thread() is threading.main_thread())
            return function(*args, **kwargs)

        return wrapper

    for name in threads:
        monkeypatch.setattr(sql_search, name, recorded(name, getattr(sql_search, name)))
    docs = [
        SearchDocument(
            kind=SearchKind.POSTS,
            id=f"doc{index}",
            text=text_,
            language="en",
            owner_id=None,
            created_at=T0 + timedelta(minutes=index),
        )
        for index, text_ in enumerate(["practice makes perfect", "grammar practice daily"])
    ]
    async with factory() as session:
        await SqliteSearchIndex(session).upsert(docs)
        await session.commit()
    query = SearchQuery(
        kind=SearchKind.POSTS, text="practise", language=None, as_of=T0 + timedelta(days=1)
    )
    terms: Sequence[str] = rules.query_terms(query.text)
    async with factory() as session:
        hits = await SqliteSearchIndex(session).search(query, terms)
    assert hits.ids == ["doc1", "doc0"]
    assert threads == {"similar_words": [False], "rank_by_typos": [False]}
