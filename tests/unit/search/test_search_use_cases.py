"""Search use cases with in-memory fakes: query rules, cursors, outbox handlers, reindex."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.search import InMemorySearchIndex
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.common.views import UserCard
from hypehere.application.search import handlers as search_handlers
from hypehere.application.search.reindex_search import ReindexSearch, ReindexSearchCommand
from hypehere.application.search.search_content import SearchContent, SearchContentCommand
from hypehere.application.search.sync_post_to_search import SyncPostToSearch
from hypehere.application.search.sync_user_to_search import SyncUserToSearch
from hypehere.application.search.views import LessonResult, PostResult, UserResult, display_text
from hypehere.domain.search import rules
from hypehere.domain.search.errors import SearchQueryInvalidError, SearchTypeInvalidError
from hypehere.domain.search.model import (
    SearchDocument,
    SearchKind,
    lesson_document_id,
    lesson_id_of,
)
from hypehere.domain.shared.pagination import InvalidCursorError, encode_cursor

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class FakeSource:
    def __init__(self) -> None:
        self.posts: dict[str, SearchDocument] = {}
        self.users: dict[str, SearchDocument] = {}
        self.lessons: dict[str, SearchDocument] = {}

    async def post_document(self, post_id: str) -> SearchDocument | None:
        return self.posts.get(post_id)

    async def user_document(self, user_id: str) -> SearchDocument | None:
        return self.users.get(user_id)

    async def lesson_documents(self, lesson_id: str) -> list[SearchDocument]:
        return sorted(
            (d for d in self.lessons.values() if lesson_id_of(d.id) == lesson_id),
            key=lambda d: d.id,
        )

    async def documents(
        self, kind: SearchKind, after_id: str | None, limit: int
    ) -> list[SearchDocument]:
        table = {
            SearchKind.POSTS: self.posts,
            SearchKind.USERS: self.users,
            SearchKind.LESSONS: self.lessons,
        }[kind]
        ids = sorted(i for i in table if after_id is None or i > after_id)[:limit]
        return [table[i] for i in ids]


class FakeReader:
    """Renders every id it is given except `hidden`; blocks come from `blocks`."""

    def __init__(self) -> None:
        self.blocks: dict[str, set[str]] = {}
        self.hidden: set[str] = set()
        self.languages: dict[str, tuple[str, ...]] = {}

    async def searcher_languages(self, viewer_id: str) -> tuple[str, ...]:
        return self.languages.get(viewer_id, ())

    async def lessons(
        self, lesson_ids: Sequence[str], display_languages: Sequence[str]
    ) -> list[LessonResult]:
        return [
            LessonResult(
                id=i,
                key=i,
                category_id="c",
                position=1,
                level="A1",
                title=display_text({"en": f"{i} (en)", "ko": f"{i} (ko)"}, display_languages),
                description="",
                languages=["en", "ko"],
                expression_count=1,
            )
            for i in lesson_ids
            if i not in self.hidden
        ]

    async def hidden_owner_ids(self, viewer_id: str) -> frozenset[str]:
        return frozenset(self.blocks.get(viewer_id, set()))

    async def posts(self, ids: Sequence[str], viewer_id: str | None) -> list[PostResult]:
        return [
            PostResult(
                id=i,
                author=UserCard("a", "a", "A", None),
                content="",
                language="en",
                detected_language=None,
                target_language=None,
                hashtags=[],
                mentions=[],
                media_urls=[],
                like_count=0,
                comment_count=0,
                liked_by_me=False,
                created_at=NOW,
                edited_at=None,
            )
            for i in ids
            if i not in self.hidden
        ]

    async def users(self, ids: Sequence[str], viewer_id: str | None) -> list[UserResult]:
        return [
            UserResult(
                id=i,
                handle=i,
                nickname=i,
                bio="",
                avatar_url=None,
                native_language="ko",
                target_languages=[],
                follower_count=0,
                following_count=0,
                post_count=0,
                created_at=NOW,
            )
            for i in ids
            if i not in self.hidden
        ]


def doc(
    doc_id: str,
    text: str,
    *,
    owner: str = "o",
    minutes: int = 0,
    kind: SearchKind = SearchKind.POSTS,
) -> SearchDocument:
    return SearchDocument(
        kind=kind,
        id=doc_id,
        text=text,
        language="en",
        owner_id=owner,
        created_at=NOW - timedelta(hours=1) + timedelta(minutes=minutes),
    )


@pytest.fixture
def index() -> InMemorySearchIndex:
    return InMemorySearchIndex()


@pytest.fixture
def reader() -> FakeReader:
    return FakeReader()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def use_case(index: InMemorySearchIndex, reader: FakeReader, clock: FixedClock) -> SearchContent:
    return SearchContent(index, reader, clock)


def message(topic: str, **payload: object) -> OutboxMessage:
    return OutboxMessage(id="e1", topic=topic, payload=dict(payload), occurred_at=NOW)


class Handlers:
    """The search subscription table's handlers around one use case, by topic."""

    def __init__(self, use_case: SyncPostToSearch | SyncUserToSearch) -> None:
        self._use_case = use_case

    async def handle(self, message: OutboxMessage) -> None:
        [row] = [
            r
            for r in search_handlers.SUBSCRIPTIONS
            if r.topic == message.topic and r.use_case is type(self._use_case)
        ]
        await row.handler(self._use_case).handle(message)


POST = {"author_id": "o", "language": "en", "hashtags": [], "mentioned_user_ids": []}


# --- rules ---


def test_query_terms_are_normalized_and_deduplicated() -> None:
    assert rules.query_terms("  Ｈｅｌｌｏ, hello WORLD! ") == ["hello", "world"]
    with pytest.raises(SearchQueryInvalidError):
        rules.query_terms("   ")
    with pytest.raises(SearchQueryInvalidError):
        rules.query_terms("!!!")
    with pytest.raises(SearchQueryInvalidError):
        rules.query_terms("x" * 201)


@pytest.mark.parametrize(
    ("term", "text", "typos"),
    [
        ("museum", "the museum", 0),
        ("useu", "the museum", 0),  # substring
        ("musium", "the museum", 1),
        ("hexlo", "hello there", 1),
        ("helo", "hello there", None),  # 4 letters: no typo allowed
        ("cot", "a cat", None),  # too short for a typo
        ("programing", "programming", 1),
        ("progrbmmin", "programming", 1),  # last term: prefix with one typo
        ("pronunciatoin", "pronunciation", 2),
        ("東京", "東京タワーに行きました", 0),
    ],
)
def test_match_typos(term: str, text: str, typos: int | None) -> None:
    assert rules.match_typos([term], text) == typos


def test_edit_patterns_cover_all_one_edit_variants() -> None:
    patterns = rules.edit_patterns("hello", wildcard="_", escape=lambda c: c)
    assert "he_lo" in patterns and "helo" in patterns and "he_llo" in patterns
    assert rules.needs_edit_patterns("hello") and not rules.needs_edit_patterns("helloo")


# --- SearchContent ---


async def test_pages_never_repeat_and_new_documents_wait_for_a_new_query(
    use_case: SearchContent, index: InMemorySearchIndex, clock: FixedClock
) -> None:
    await index.upsert([doc(f"p{i}", f"note {i}", minutes=i) for i in range(5)])
    first = await use_case.execute(SearchContentCommand(q="note", limit=2))
    assert [item.id for item in first.items] == ["p4", "p3"]
    clock.advance(minutes=1)
    await index.upsert([doc("p9", "note new", minutes=61)])  # created after the first page
    second = await use_case.execute(
        SearchContentCommand(q="note", limit=2, cursor=first.next_cursor)
    )
    third = await use_case.execute(
        SearchContentCommand(q="note", limit=2, cursor=second.next_cursor)
    )
    assert [item.id for item in second.items + third.items] == ["p2", "p1", "p0"]
    assert third.next_cursor is None
    fresh = await use_case.execute(SearchContentCommand(q="note", limit=1))
    assert [item.id for item in fresh.items] == ["p9"]


async def test_blocked_owners_are_excluded_for_the_viewer(
    use_case: SearchContent, index: InMemorySearchIndex, reader: FakeReader
) -> None:
    await index.upsert([doc("mine", "garden", owner="me"), doc("theirs", "garden", owner="x")])
    reader.blocks["me"] = {"x"}
    viewer = Actor(user_id="me")
    result = await use_case.execute(SearchContentCommand(q="garden", viewer=viewer))
    assert [item.id for item in result.items] == ["mine"]
    anonymous = await use_case.execute(SearchContentCommand(q="garden"))
    assert {item.id for item in anonymous.items} == {"mine", "theirs"}


async def test_types_and_lessons(use_case: SearchContent, index: InMemorySearchIndex) -> None:
    await index.upsert([doc("u1", "jisoo", kind=SearchKind.USERS), doc("p1", "jisoo post")])
    users = await use_case.execute(SearchContentCommand(q="jisoo", type="users"))
    assert [type(i).__name__ for i in users.items] == ["UserResult"]
    lessons = await use_case.execute(SearchContentCommand(q="jisoo", type="lessons"))
    assert lessons.items == [] and lessons.next_cursor is None  # no lesson says jisoo
    with pytest.raises(SearchTypeInvalidError):
        await use_case.execute(SearchContentCommand(q="jisoo", type="videos"))


@pytest.mark.parametrize("cursor", [encode_cursor(("x", 0)), encode_cursor((1, -1)), "%%%"])
async def test_bad_cursors(use_case: SearchContent, cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        await use_case.execute(SearchContentCommand(q="a", cursor=cursor))


def lesson(lesson_id: str, language: str, text: str) -> SearchDocument:
    return SearchDocument(
        kind=SearchKind.LESSONS,
        id=lesson_document_id(lesson_id, language),
        text=text,
        language=language,
        owner_id=None,
        created_at=NOW - timedelta(days=1),
    )


async def test_lesson_hits_fold_into_lessons_in_the_searchers_languages(
    use_case: SearchContent, index: InMemorySearchIndex, reader: FakeReader
) -> None:
    await index.upsert(
        [
            lesson("l1", "en", "One ticket to Busan"),
            lesson("l1", "ko", "부산행 표 Busanhaeng"),
            lesson("l1", "es", "Un billete para Busan"),
            lesson("l2", "en", "Busan station"),
            lesson("l3", "ja", "釜山 Busan"),
        ]
    )
    reader.languages["me"] = ("ko", "en")
    me = Actor("me")
    mine = await use_case.execute(SearchContentCommand(q="busan", type="lessons", viewer=me))
    assert sorted(i.id for i in mine.items) == ["l1", "l2"]  # l1 once; l3 is only in ja
    assert {i.title for i in mine.items} == {"l1 (ko)", "l2 (ko)"}  # native language first
    only_ja = await use_case.execute(
        SearchContentCommand(q="busan", type="lessons", language="ja", viewer=me)
    )
    assert [i.id for i in only_ja.items] == ["l3"]
    # anonymous: every language; one lesson per page, none twice, titles in the fallback
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = await use_case.execute(
            SearchContentCommand(
                q="busan", type="lessons", limit=1, cursor=cursor, fallback_language="en"
            )
        )
        seen.extend(i.id for i in page.items)
        assert all(i.title.endswith("(en)") for i in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == ["l1", "l2", "l3"]


# --- outbox handlers and reindex ---


async def test_post_handler_follows_the_current_row(index: InMemorySearchIndex) -> None:
    source, uow = FakeSource(), InMemoryUnitOfWork()
    handler = Handlers(SyncPostToSearch(source, index, uow))
    source.posts["p1"] = doc("p1", "first version")
    await handler.handle(message("feed.post_created", post_id="p1", **POST))
    assert index.documents[(SearchKind.POSTS, "p1")].text == "first version"
    del source.posts["p1"]  # removed or deleted: the reader no longer returns it
    await handler.handle(
        message("feed.post_updated", post_id="p1", author_id="o", mentioned_user_ids=[])
    )
    assert (SearchKind.POSTS, "p1") not in index.documents
    await handler.handle(message("feed.post_created", post_id="p1", **POST))  # late
    assert (SearchKind.POSTS, "p1") not in index.documents
    source.posts["p1"] = doc("p1", "restored")
    await handler.handle(message("feed.post_removed", post_id="p1", author_id="o"))
    assert index.documents[(SearchKind.POSTS, "p1")].text == "restored"
    del source.posts["p1"]
    await handler.handle(message("feed.post_deleted", post_id="p1", author_id="o"))
    assert (SearchKind.POSTS, "p1") not in index.documents
    assert uow.commits == 5


async def test_user_handler_removes_hidden_accounts(index: InMemorySearchIndex) -> None:
    source = FakeSource()
    handler = Handlers(SyncUserToSearch(source, index, InMemoryUnitOfWork()))
    source.users["u1"] = doc("u1", "handle nick", kind=SearchKind.USERS)
    registered = {"handle": "h", "nickname": "n", "native_language": "ko", "target_languages": []}
    await handler.handle(message("users.registered", user_id="u1", **registered))
    assert (SearchKind.USERS, "u1") in index.documents
    source.users["u1"] = doc("u1", "renamed", kind=SearchKind.USERS)
    await handler.handle(message("users.profile_updated", user_id="u1"))
    assert index.documents[(SearchKind.USERS, "u1")].text == "renamed"
    del source.users["u1"]
    await handler.handle(message("users.state_changed", user_id="u1", state="banned"))
    assert (SearchKind.USERS, "u1") not in index.documents


async def test_purged_account_takes_its_posts_out_of_the_index(
    index: InMemorySearchIndex,
) -> None:
    await index.upsert(
        [
            doc("p1", "hello", owner="u1"),
            doc("p2", "hello", owner="u2"),
            doc("u1", "x", kind=SearchKind.USERS),
        ]
    )
    handler = Handlers(SyncUserToSearch(FakeSource(), index, InMemoryUnitOfWork()))
    await handler.handle(message("users.state_changed", user_id="u1", state="deactivated"))
    assert (SearchKind.POSTS, "p1") in index.documents  # hidden at render, back on return
    await handler.handle(message("users.state_changed", user_id="u1", state="deleted"))
    assert set(index.documents) == {(SearchKind.POSTS, "p2")}


async def test_reindex_rebuilds_from_the_source(index: InMemorySearchIndex) -> None:
    source = FakeSource()
    for i in range(7):
        source.posts[f"p{i}"] = doc(f"p{i}", "text")
    source.users["u1"] = doc("u1", "someone", kind=SearchKind.USERS)
    await index.upsert([doc("stale", "gone")])
    for i in range(4):
        for language in ("en", "ko"):
            source.lessons[lesson_document_id(f"l{i}", language)] = lesson(
                f"l{i}", language, "text"
            )
    result = await ReindexSearch(source, index, InMemoryUnitOfWork()).execute(
        ReindexSearchCommand(batch_size=3)
    )
    assert result.indexed == {"posts": 7, "users": 1, "lessons": 8}
    assert (SearchKind.POSTS, "stale") not in index.documents
    assert len(index.documents) == 16
