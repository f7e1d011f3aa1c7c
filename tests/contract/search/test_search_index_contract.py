"""One contract for every SearchIndex adapter: Meilisearch (against the fake HTTP API),
SQLite FTS5 and PostgreSQL tsvector + pg_trgm."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from hypehere.adapters.memory.search import InMemorySearchIndex
from hypehere.adapters.search.meilisearch import MeilisearchSearchIndex
from hypehere.adapters.search.sql import PostgresSearchIndex, SqliteSearchIndex
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.domain.search import rules
from hypehere.domain.search.model import (
    SearchDocument,
    SearchHits,
    SearchKind,
    SearchQuery,
    lesson_document_id,
    lesson_documents,
    lesson_id_of,
)
from hypehere.domain.shared.ids import new_id
from tests.contract.search.meilisearch_fake import FakeMeilisearch

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LATER = T0 + timedelta(days=365)


def post(
    content: str,
    *,
    language: str | None = "en",
    owner: str | None = None,
    at: datetime | None = None,
    doc_id: str | None = None,
) -> SearchDocument:
    return SearchDocument(
        kind=SearchKind.POSTS,
        id=doc_id or new_id(),
        text=content,
        language=language,
        owner_id=owner or new_id(),
        created_at=at or T0,
    )


def user(text_: str, *, language: str = "ko") -> SearchDocument:
    return SearchDocument(
        kind=SearchKind.USERS,
        id=new_id(),
        text=text_,
        language=language,
        owner_id=None,
        created_at=T0,
    )


class Harness:
    """Runs each port call the way production does (SQL adapters in a committed unit)."""

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        raise NotImplementedError

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        raise NotImplementedError

    async def clear(self, kind: SearchKind) -> None:
        raise NotImplementedError

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        raise NotImplementedError

    async def search(self, query: SearchQuery) -> SearchHits:
        raise NotImplementedError

    async def find(
        self,
        q: str,
        kind: SearchKind = SearchKind.POSTS,
        *,
        language: str | None = None,
        limit: int = 20,
        offset: int = 0,
        exclude: frozenset[str] = frozenset(),
        as_of: datetime = LATER,
        languages: frozenset[str] = frozenset(),
    ) -> SearchHits:
        return await self.search(
            SearchQuery(
                kind=kind,
                text=q,
                language=language,
                as_of=as_of,
                offset=offset,
                limit=limit,
                exclude_owner_ids=exclude,
                languages=languages,
            )
        )


class SearchIndexContract:
    @pytest.fixture
    async def idx(self) -> AsyncIterator[Harness]:
        raise NotImplementedError
        yield  # pragma: no cover

    async def test_upsert_then_find(self, idx: Harness) -> None:
        doc = post("I visited the museum yesterday with friends")
        other = post("Cooking dinner tonight")
        await idx.upsert([doc, other])
        assert (await idx.find("museum")).ids == [doc.id]
        assert (await idx.find("MUSEUM Friends")).ids == [doc.id]

    async def test_every_term_must_match(self, idx: Harness) -> None:
        await idx.upsert([post("the museum was quiet")])
        assert (await idx.find("museum zebras")).ids == []

    async def test_one_letter_typo_still_finds(self, idx: Harness) -> None:
        long_word = post("I love programming in the evening")
        short_word = post("hello from the other side")
        await idx.upsert([long_word, short_word])
        assert (await idx.find("progrbmming")).ids == [long_word.id]  # substitution
        assert (await idx.find("programing")).ids == [long_word.id]  # missing letter
        assert (await idx.find("hexlo")).ids == [short_word.id]  # middle of a 5-letter word
        assert (await idx.find("helo side")).ids == []  # 4 letters: no typo allowed

    async def test_short_words_allow_no_typo(self, idx: Harness) -> None:
        await idx.upsert([post("a cat sat on the mat")])
        assert (await idx.find("cot")).ids == []
        assert len((await idx.find("cat")).ids) == 1

    async def test_language_filter(self, idx: Harness) -> None:
        english = post("coffee time", language="en")
        spanish = post("coffee con leche", language="es")
        await idx.upsert([english, spanish])
        assert (await idx.find("coffee", language="es")).ids == [spanish.id]
        assert set((await idx.find("coffee")).ids) == {english.id, spanish.id}

    async def test_any_of_languages(self, idx: Harness) -> None:
        english = post("coffee time", language="en")
        spanish = post("coffee con leche", language="es")
        korean = post("coffee 한 잔", language="ko")
        await idx.upsert([english, spanish, korean])
        found = await idx.find("coffee", languages=frozenset({"en", "ko"}))
        assert set(found.ids) == {english.id, korean.id}
        # `language` (the query's ?language=) wins over the searcher's languages
        found = await idx.find("coffee", language="es", languages=frozenset({"en", "ko"}))
        assert found.ids == [spanish.id]

    async def test_lessons_are_indexed_once_per_language(self, idx: Harness) -> None:
        lesson_id = new_id()
        documents = lesson_documents(
            lesson_id,
            ["en", "ko", "ja"],
            {"en": "Buying a ticket", "ko": "표 사기", "ja": "切符を買う"},
            [
                (
                    {"en": "One ticket to Busan, please.", "ko": "부산행 표 한 장 주세요."},
                    {"ko": "Busanhaeng pyo han jang juseyo."},
                )
            ],
        )
        await idx.upsert(documents)
        assert {lesson_id_of(d.id) for d in documents} == {lesson_id}
        ticket = await idx.find("ticket", SearchKind.LESSONS)
        assert ticket.ids == [lesson_document_id(lesson_id, "en")]
        assert (await idx.find("표", SearchKind.LESSONS)).ids == [
            lesson_document_id(lesson_id, "ko")
        ]
        # romanization is searched in its language; a typo is tolerated as for posts
        busan = await idx.find("busan", SearchKind.LESSONS, languages=frozenset({"ko", "en"}))
        assert set(busan.ids) == {
            lesson_document_id(lesson_id, "ko"),
            lesson_document_id(lesson_id, "en"),
        }
        assert (await idx.find("tickit", SearchKind.LESSONS)).ids == ticket.ids
        assert (await idx.find("切符", SearchKind.LESSONS, languages=frozenset({"en"}))).ids == []
        await idx.delete(SearchKind.LESSONS, [lesson_document_id(lesson_id, "ja")])
        assert (await idx.find("切符", SearchKind.LESSONS)).ids == []
        assert (await idx.find("ticket")).ids == []  # another kind

    async def test_delete_removes(self, idx: Harness) -> None:
        doc = post("temporary announcement")
        await idx.upsert([doc])
        await idx.delete(SearchKind.POSTS, [doc.id])
        assert (await idx.find("announcement")).ids == []
        await idx.delete(SearchKind.POSTS, [doc.id, new_id()])  # missing ids are fine

    async def test_delete_owned_removes_one_owners_documents(self, idx: Harness) -> None:
        gone = new_id()
        mine = post("pottery class", owner=gone)
        also_mine = post("pottery wheel", owner=gone)
        other = post("pottery market")
        await idx.upsert([mine, also_mine, other])
        await idx.delete_owned(SearchKind.POSTS, gone)
        assert (await idx.find("pottery")).ids == [other.id]

    async def test_upsert_replaces_the_document(self, idx: Harness) -> None:
        doc = post("original wording here")
        await idx.upsert([doc])
        await idx.upsert([post("edited sentence now", doc_id=doc.id, owner=doc.owner_id)])
        assert (await idx.find("original")).ids == []
        assert (await idx.find("edited")).ids == [doc.id]

    async def test_type_filter(self, idx: Harness) -> None:
        a_post = post("guitar lessons every weekend")
        a_user = user("guitar player from Busan")
        await idx.upsert([a_post, a_user])
        assert (await idx.find("guitar", SearchKind.POSTS)).ids == [a_post.id]
        assert (await idx.find("guitar", SearchKind.USERS)).ids == [a_user.id]
        assert (await idx.find("guitar", SearchKind.LESSONS)).ids == []

    async def test_clear_removes_one_kind(self, idx: Harness) -> None:
        a_post = post("violin practice")
        a_user = user("violin teacher")
        await idx.upsert([a_post, a_user])
        await idx.clear(SearchKind.POSTS)
        assert (await idx.find("violin", SearchKind.POSTS)).ids == []
        assert (await idx.find("violin", SearchKind.USERS)).ids == [a_user.id]

    async def test_pagination_without_duplicates(self, idx: Harness) -> None:
        docs = [
            post(f"weekly diary entry number {i}", at=T0 + timedelta(minutes=i % 7))
            for i in range(23)
        ]
        typo_docs = [post(f"a diarx page {i}") for i in range(2)]  # only reachable with a typo
        await idx.upsert(docs + typo_docs)
        seen: list[str] = []
        offset = 0
        pages = 0
        while True:
            hits = await idx.find("diary", limit=10, offset=offset)
            seen.extend(hits.ids)
            offset += len(hits.ids)
            pages += 1
            if not hits.has_more:
                break
        assert pages == 3
        assert len(seen) == len(set(seen)) == 25
        assert set(seen) == {d.id for d in docs + typo_docs}
        assert set(seen[:23]) == {d.id for d in docs}  # exact matches rank before typos

    async def test_excluded_owners_are_left_out(self, idx: Harness) -> None:
        blocked = new_id()
        hidden = post("sunset photos", owner=blocked)
        shown = post("sunset walk")
        await idx.upsert([hidden, shown])
        assert (await idx.find("sunset", exclude=frozenset({blocked}))).ids == [shown.id]

    async def test_documents_created_after_as_of_are_left_out(self, idx: Harness) -> None:
        old = post("marathon training", at=T0)
        new = post("marathon results", at=T0 + timedelta(hours=2))
        await idx.upsert([old, new])
        hits = await idx.find("marathon", as_of=T0 + timedelta(hours=1))
        assert hits.ids == [old.id]

    async def test_korean_and_japanese_text(self, idx: Harness) -> None:
        korean = post("서울에서 맛있는 커피를 마셨어요", language="ko")
        japanese = post("東京タワーに行きました", language="ja")
        await idx.upsert([korean, japanese])
        assert (await idx.find("커피를")).ids == [korean.id]
        assert (await idx.find("東京タワー")).ids == [japanese.id]
        assert (await idx.find("東京", language="ja")).ids == [japanese.id]
        assert (await idx.find("東京", language="ko")).ids == []

    async def test_users_are_found_by_handle_and_nickname(self, idx: Harness) -> None:
        someone = user("minji_kim 민지 I teach Korean")
        await idx.upsert([someone])
        assert (await idx.find("민지", SearchKind.USERS)).ids == [someone.id]
        assert (await idx.find("minji_kim", SearchKind.USERS)).ids == [someone.id]


# --- Meilisearch (fake HTTP API) ---


class MeiliHarness(Harness):
    def __init__(self, adapter: MeilisearchSearchIndex) -> None:
        self.adapter = adapter

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        await self.adapter.upsert(docs)

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        await self.adapter.delete(kind, ids)

    async def clear(self, kind: SearchKind) -> None:
        await self.adapter.clear(kind)

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        await self.adapter.delete_owned(kind, owner_id)

    async def search(self, query: SearchQuery) -> SearchHits:
        return await self.adapter.search(query, rules.query_terms(query.text))


def meili_adapter(fake: FakeMeilisearch, api_key: str | None = "master") -> MeilisearchSearchIndex:
    return MeilisearchSearchIndex(
        "http://meili.test",
        api_key,
        timeout_seconds=1.0,
        task_poll_interval_ms=1,
        transport=fake.transport(),
    )


class TestMeilisearchSearchIndex(SearchIndexContract):
    @pytest.fixture
    async def idx(self) -> AsyncIterator[Harness]:
        adapter = meili_adapter(FakeMeilisearch(master_key="master"))
        yield MeiliHarness(adapter)
        await adapter.aclose()


# --- SQL ---


class SqlHarness(Harness):
    def __init__(self, factory: Any, adapter_type: type[Any]) -> None:
        self.factory = factory
        self.adapter_type = adapter_type

    async def _write(self, method: str, *args: Any) -> None:
        async with self.factory() as session:
            await getattr(self.adapter_type(session), method)(*args)
            await session.commit()

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        await self._write("upsert", docs)

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        await self._write("delete", kind, ids)

    async def clear(self, kind: SearchKind) -> None:
        await self._write("clear", kind)

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        await self._write("delete_owned", kind, owner_id)

    async def search(self, query: SearchQuery) -> SearchHits:
        async with self.factory() as session:
            hits: SearchHits = await self.adapter_type(session).search(
                query, rules.query_terms(query.text)
            )
            return hits


async def _sql_harness(url: str, adapter_type: type[Any]) -> AsyncIterator[Harness]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM search_documents"))
    try:
        yield SqlHarness(create_session_factory(engine), adapter_type)
    finally:
        await engine.dispose()


class TestSqliteSearchIndex(SearchIndexContract):
    @pytest.fixture
    async def idx(self, sqlite_url: str) -> AsyncIterator[Harness]:
        async for harness in _sql_harness(sqlite_url, SqliteSearchIndex):
            yield harness

    async def test_fts_table_follows_the_documents(self, idx: Harness, sqlite_url: str) -> None:
        doc = post("synchronised by triggers")
        await idx.upsert([doc])
        await idx.upsert([post("changed by triggers", doc_id=doc.id)])
        engine = create_engine(sqlite_url)
        try:
            async with engine.connect() as conn:
                count = await conn.scalar(
                    text(
                        "SELECT count(*) FROM search_documents_fts "
                        "WHERE search_documents_fts MATCH '\"changed\"'"
                    )
                )
                stale = await conn.scalar(
                    text(
                        "SELECT count(*) FROM search_documents_fts "
                        "WHERE search_documents_fts MATCH '\"synchronised\"'"
                    )
                )
        finally:
            await engine.dispose()
        assert (count, stale) == (1, 0)


@pytest.mark.integration
class TestPostgresSearchIndex(SearchIndexContract):
    @pytest.fixture
    async def idx(self, postgres_url: str) -> AsyncIterator[Harness]:
        async for harness in _sql_harness(postgres_url, PostgresSearchIndex):
            yield harness


# --- in-memory (unit tests' fake) ---


class MemoryHarness(MeiliHarness):
    """Same calls as Meilisearch's: no transaction to commit."""


class TestInMemorySearchIndex(SearchIndexContract):
    @pytest.fixture
    async def idx(self) -> AsyncIterator[Harness]:
        yield MemoryHarness(InMemorySearchIndex())  # type: ignore[arg-type]
