"""One contract for the learning ports (curriculum reader and writer, progress, learner
directory), run against the in-memory fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.learning import (
    InMemoryActivity,
    InMemoryCorrections,
    InMemoryCurriculum,
    InMemoryLearners,
    InMemoryProgress,
    InMemoryReviewCards,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.learning.corrections import SqlCorrectionRepository
from hypehere.adapters.sql.learning.curriculum import SqlCurriculumReader, SqlCurriculumWriter
from hypehere.adapters.sql.learning.learners import SqlLearnerDirectory
from hypehere.adapters.sql.learning.progress import SqlActivityRepository, SqlProgressRepository
from hypehere.adapters.sql.learning.reviews import SqlReviewCardRepository
from hypehere.adapters.sql.users.tables import UserLanguageRow, UserRow
from hypehere.adapters.yaml.curriculum import load_curriculum
from hypehere.application.learning.ports import AcceptedCorrection, Learner, ProgressTotals
from hypehere.domain.learning.corrections import Correction, CorrectionCategory, CorrectionTarget
from hypehere.domain.learning.errors import CorrectionExistsError
from hypehere.domain.learning.model import Category, LessonProgress, content_id
from hypehere.domain.learning.reviews import CardSource, CardState, ReviewCard, Schedule
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import PageRequest, decode_cursor
from tests.conftest import truncate_all
from tests.fixtures.curriculum import FIXTURE_CURRICULUM

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CATEGORIES = load_curriculum(FIXTURE_CURRICULUM)
STATION, CAFE = CATEGORIES
TICKETS = STATION.lessons[0]
ORDER = CAFE.lessons[0]


class Harness:
    curriculum: Any
    writer: Any
    progress: Any
    learners: Any
    activity: Any
    cards: Any
    corrections: Any
    user_ids: dict[str, str]
    add_user: Callable[[str, str, tuple[str, ...]], Awaitable[None]]


class LearningStoreContract:
    @pytest.fixture
    async def h(self) -> AsyncIterator[Harness]:
        raise NotImplementedError
        yield

    async def test_upsert_then_read_every_level(self, h: Harness) -> None:
        await h.writer.upsert(CATEGORIES)
        page = await h.curriculum.categories(PageRequest())
        assert [(c.id, c.key, c.position, c.lesson_count) for c in page.items] == [
            (STATION.id, "fixture-station", 1, 1),
            (CAFE.id, "fixture-cafe", 2, 1),
        ]
        assert page.items[0].title == dict(STATION.title)
        assert await h.curriculum.category(CAFE.id) == page.items[1]
        assert await h.curriculum.category("absent") is None
        lessons = await h.curriculum.lessons(STATION.id, PageRequest())
        (summary,) = lessons.items
        assert (summary.id, summary.category_id, summary.level, summary.expression_count) == (
            TICKETS.id,
            STATION.id,
            "A1",
            2,
        )
        assert summary.languages == ["en", "es", "ja", "ko"]
        assert (await h.curriculum.lessons("absent", PageRequest())).items == []
        # The lesson comes back equal to what was loaded, vocabulary and readings included.
        assert await h.curriculum.lesson(TICKETS.id) == TICKETS
        assert await h.curriculum.lesson("absent") is None

    async def test_upsert_is_idempotent_and_updates_by_key(self, h: Harness) -> None:
        await h.writer.upsert(CATEGORIES)
        await h.writer.upsert(CATEGORIES)
        assert len((await h.curriculum.categories(PageRequest())).items) == 2
        first = TICKETS.expressions[0]
        edited_expression = replace(first, note={**first.note, "en": "Edited note."})
        edited = replace(
            STATION,
            title={**STATION.title, "en": "At the train station"},
            lessons=(replace(TICKETS, expressions=(edited_expression, *TICKETS.expressions[1:])),),
        )
        await h.writer.upsert([edited])
        assert (await h.curriculum.category(STATION.id)).title["en"] == "At the train station"
        lesson = await h.curriculum.lesson(TICKETS.id)
        assert lesson.expressions[0].note["en"] == "Edited note."
        assert [e.id for e in lesson.expressions] == [e.id for e in TICKETS.expressions]

    async def test_pages_by_position(self, h: Harness) -> None:
        many = [
            Category(key=f"c{i}", position=i // 2, title={"en": f"C{i}"}, description={"en": ""})
            for i in range(7)
        ]
        await h.writer.upsert(many)
        seen: list[str] = []
        cursor = None
        while True:
            page = await h.curriculum.categories(PageRequest(limit=3, cursor=cursor))
            seen += [c.key for c in page.items]
            if page.next_cursor is None:
                break
            cursor = decode_cursor(page.next_cursor)
        expected = sorted(many, key=lambda c: (c.position, c.id))
        assert seen == [c.key for c in expected]

    async def test_progress_and_completions_per_category(self, h: Harness) -> None:
        await h.writer.upsert(CATEGORIES)
        await h.add_user("ann", "ko", ("en",))
        await h.add_user("ben", "en", ())
        ann, ben = h.user_ids["ann"], h.user_ids["ben"]
        assert await h.progress.progress_of(ann, [TICKETS.id]) == {}
        started = LessonProgress(ann, TICKETS.id, started_at=T0, updated_at=T0, seconds_spent=30)
        await h.progress.save(started)
        done = LessonProgress(
            ann, ORDER.id, started_at=T0, updated_at=T0, score=80, seconds_spent=60, completed_at=T0
        )
        await h.progress.save(done)
        await h.progress.save(replace(done, user_id=ben))
        later = T0 + timedelta(minutes=5)
        await h.progress.save(replace(started, updated_at=later, seconds_spent=90, score=70))
        got = await h.progress.progress_of(ann, [TICKETS.id, ORDER.id, "absent"])
        assert got[TICKETS.id] == replace(started, updated_at=later, seconds_spent=90, score=70)
        assert got[ORDER.id] == done
        assert got[ORDER.id].status.value == "completed"
        assert await h.progress.progress_of(ann, []) == {}
        assert await h.progress.completed_per_category(ann, [STATION.id, CAFE.id, "x"]) == {
            STATION.id: 0,
            CAFE.id: 1,
            "x": 0,
        }
        assert await h.progress.completed_per_category(ann, []) == {}

    async def test_totals(self, h: Harness) -> None:
        await h.writer.upsert(CATEGORIES)
        await h.add_user("ann", "ko", ("en",))
        ann = h.user_ids["ann"]
        assert await h.progress.totals(ann) == ProgressTotals(0, 0, 0)
        await h.progress.save(
            LessonProgress(ann, TICKETS.id, started_at=T0, updated_at=T0, seconds_spent=30)
        )
        assert await h.progress.totals(ann) == ProgressTotals(0, 0, 30)
        await h.progress.save(
            LessonProgress(
                ann, TICKETS.id, started_at=T0, updated_at=T0, seconds_spent=50, completed_at=T0
            )
        )
        await h.progress.save(
            LessonProgress(
                ann, ORDER.id, started_at=T0, updated_at=T0, seconds_spent=70, completed_at=T0
            )
        )
        assert await h.progress.totals(ann) == ProgressTotals(2, 3, 120)

    async def test_activity_days_are_marked_once(self, h: Harness) -> None:
        await h.add_user("ann", "ko", ())
        await h.add_user("ben", "ko", ())
        ann = h.user_ids["ann"]
        assert await h.activity.days(ann) == []
        for day in (date(2026, 3, 3), date(2026, 3, 1), date(2026, 3, 3)):
            await h.activity.mark_day(ann, day)
        await h.activity.mark_day(h.user_ids["ben"], date(2026, 3, 2))
        assert await h.activity.days(ann) == [date(2026, 3, 1), date(2026, 3, 3)]

    async def test_review_cards(self, h: Harness) -> None:
        await h.add_user("ann", "ko", ("ja",))
        await h.add_user("ben", "ko", ("ja",))
        ann, ben = h.user_ids["ann"], h.user_ids["ben"]

        def card(user: str, source_id: str, due: datetime) -> ReviewCard:
            return ReviewCard(
                id=new_id(),
                user_id=user,
                source=CardSource.EXPRESSION,
                source_id=source_id,
                front="표 한 장 주세요.",
                back="切符を一枚ください。",
                language="ja",
                schedule=Schedule(state=CardState.LEARNING, due_at=due, step=0),
                created_at=T0,
            )

        cards = [card(ann, f"e{i}", T0 + timedelta(minutes=i // 2)) for i in range(5)]
        assert await h.cards.add_many(cards) == 5
        # One card per user and source: adding again adds nothing; another user gets theirs.
        assert await h.cards.add_many([card(ann, "e0", T0), card(ben, "e0", T0)]) == 1
        assert await h.cards.add_many([]) == 0
        assert await h.cards.get(cards[0].id) == cards[0]
        assert await h.cards.get("absent") is None
        now = T0 + timedelta(minutes=1)
        expected = sorted(cards[:4], key=lambda c: (c.schedule.due_at, c.id))
        assert [c.id for c in await h.cards.due(ann, now, limit=10, after=None)] == [
            c.id for c in expected
        ]
        first_two = await h.cards.due(ann, now, limit=2, after=None)
        last = first_two[-1]
        rest = await h.cards.due(ann, now, limit=10, after=(last.schedule.due_at, last.id))
        assert [c.id for c in first_two + rest] == [c.id for c in expected]
        assert await h.cards.count_due(ann, now) == 4
        assert await h.cards.count_due(ben, now) == 1
        reviewed = cards[0]
        later = Schedule(
            state=CardState.REVIEW,
            due_at=T0 + timedelta(days=3),
            step=None,
            stability=3.17,
            difficulty=5.5,
            last_review_at=now,
        )
        reviewed.reps, reviewed.lapses, reviewed.schedule = 1, 0, later
        await h.cards.save(reviewed)
        assert await h.cards.get(reviewed.id) == reviewed
        assert await h.cards.count_due(ann, now) == 3

    async def test_corrections(self, h: Harness) -> None:
        for name in ("ann", "ben", "cat"):
            await h.add_user(name, "ko", ())
        ann, ben, cat = (h.user_ids[n] for n in ("ann", "ben", "cat"))

        def correction(
            corrector: str, target: str, minute: int, language: str = "ja"
        ) -> Correction:
            return Correction.propose(
                id=new_id(),
                corrector_id=corrector,
                corrector_native_language=language,
                author_id=ann,
                target_type=CorrectionTarget.POST,
                target_id=target,
                language=language,
                original_text="学校を行きました。",
                corrected_text="学校に行きました。",
                category=CorrectionCategory.GRAMMAR,
                note="に for a destination",
                now=T0 + timedelta(minutes=minute),
            )

        first, second = correction(ben, "p1", 0), correction(cat, "p1", 1)
        third = correction(ben, "p2", 2, language="en")
        for c in (first, second, third):
            await h.corrections.add(c)
        with pytest.raises(CorrectionExistsError):
            await h.corrections.add(correction(ben, "p1", 5))
        assert await h.corrections.get(first.id) == first
        assert await h.corrections.get("absent") is None
        page = await h.corrections.for_target(CorrectionTarget.POST, "p1", PageRequest(limit=1))
        assert [c.id for c in page.items] == [first.id]
        rest = await h.corrections.for_target(
            CorrectionTarget.POST, "p1", PageRequest(cursor=decode_cursor(page.next_cursor))
        )
        assert [c.id for c in rest.items] == [second.id] and rest.next_cursor is None
        received = await h.corrections.received(ann, PageRequest(limit=2))
        assert [c.id for c in received.items] == [third.id, second.id]
        received = await h.corrections.received(
            ann, PageRequest(cursor=decode_cursor(received.next_cursor))
        )
        assert [c.id for c in received.items] == [first.id]
        assert (await h.corrections.received(ben, PageRequest())).items == []
        accepted_at = T0 + timedelta(days=1)
        first.accepted_at = accepted_at
        assert await h.corrections.mark_accepted(first)
        assert not await h.corrections.mark_accepted(first)
        assert (await h.corrections.get(first.id)).accepted_at == accepted_at
        third.accepted_at = accepted_at + timedelta(hours=1)
        assert await h.corrections.mark_accepted(third)
        assert await h.corrections.accepted_of(ann, "ja") == [
            AcceptedCorrection(accepted_at, "grammar")
        ]
        assert len(await h.corrections.accepted_of(ann, None)) == 2
        assert await h.corrections.accepted_of(ben, None) == []

    async def test_learners_have_their_languages_in_order(self, h: Harness) -> None:
        await h.add_user("ann", "ko", ("ja", "en"))
        ann = h.user_ids["ann"]
        assert await h.learners.learner(ann) == Learner(
            user_id=ann,
            native_language="ko",
            target_languages=("ja", "en"),
            timezone="UTC",
            desired_retention=0.9,
        )
        assert await h.learners.learner(new_id()) is None


class TestInMemoryLearningStore(LearningStoreContract):
    @pytest.fixture
    async def h(self) -> AsyncIterator[Harness]:
        harness = Harness()
        harness.curriculum = harness.writer = InMemoryCurriculum()
        harness.progress = InMemoryProgress(harness.curriculum)
        harness.activity = InMemoryActivity()
        harness.cards = InMemoryReviewCards()
        harness.corrections = InMemoryCorrections()
        harness.learners = InMemoryLearners()
        harness.user_ids = {}

        async def add_user(name: str, native: str, targets: tuple[str, ...]) -> None:
            harness.user_ids[name] = user_id = new_id()
            harness.learners.put(Learner(user_id, native, targets))

        harness.add_user = add_user
        yield harness


class SqlHarness(LearningStoreContract):
    url_fixture: str

    @pytest.fixture
    async def h(self, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url)
        session: AsyncSession = create_session_factory(engine)()
        harness = Harness()
        harness.curriculum = SqlCurriculumReader(session)
        harness.writer = SqlCurriculumWriter(session)
        harness.progress = SqlProgressRepository(session)
        harness.activity = SqlActivityRepository(session)
        harness.cards = SqlReviewCardRepository(session)
        harness.corrections = SqlCorrectionRepository(session)
        harness.learners = SqlLearnerDirectory(session)
        harness.user_ids = {}

        async def add_user(name: str, native: str, targets: tuple[str, ...]) -> None:
            harness.user_ids[name] = user_id = new_id()
            await session.execute(
                insert(UserRow.__table__),  # type: ignore[attr-defined]
                {
                    "id": user_id,
                    "email": f"{name}@example.com",
                    "handle": name,
                    "nickname": name.title(),
                    "bio": "",
                    "native_language": native,
                    "interface_language": "ko",
                    "password_hash": "x",
                    "role": "user",
                    "state": "active",
                    "show_followers_list": "everyone",
                    "show_following_list": "everyone",
                    "chat_policy": "everyone",
                    "send_read_receipts": True,
                    "created_at": T0,
                    "updated_at": T0,
                },
            )
            for position, language in reversed(list(enumerate(targets))):
                await session.execute(
                    insert(UserLanguageRow.__table__),  # type: ignore[attr-defined]
                    {"user_id": user_id, "language": language, "level": "A2", "position": position},
                )

        harness.add_user = add_user
        try:
            yield harness
        finally:
            await session.rollback()
            await session.close()
            await engine.dispose()


class TestSqliteLearningStore(SqlHarness):
    url_fixture = "sqlite_url"


class TestPostgresLearningStore(SqlHarness):
    url_fixture = "postgres_url"


def test_ids_are_derived_from_keys() -> None:
    assert STATION.id == content_id("category", "fixture-station")
    assert TICKETS.expressions[0].id == content_id("expression", "fixture-station-tickets-1")
    assert content_id("lesson", "a") != content_id("expression", "a")
