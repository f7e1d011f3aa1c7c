"""In-memory learning storage: the curriculum, progress and learners (for use-case tests
and the contract suite)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from hypehere.application.learning.list_corrections import correction_cursor, correction_sort_key
from hypehere.application.learning.ports import (
    AcceptedCorrection,
    CategorySummary,
    CorrectionTargetText,
    Learner,
    LessonSummary,
    ProgressTotals,
)
from hypehere.domain.learning.corrections import Correction, CorrectionTarget
from hypehere.domain.learning.errors import CorrectionExistsError
from hypehere.domain.learning.model import Category, Lesson, LessonProgress
from hypehere.domain.learning.reviews import ReviewCard
from hypehere.domain.shared.pagination import (
    Page,
    PageRequest,
    page_from_rows,
)


def _after(key: tuple[int, str], cursor: tuple[object, ...] | None) -> bool:
    if cursor is None:
        return True
    position, id_ = cursor
    return key > (int(str(position)), str(id_))


class InMemoryLearners:
    def __init__(self) -> None:
        self.learners: dict[str, Learner] = {}

    def put(self, learner: Learner) -> None:
        self.learners[learner.user_id] = learner

    async def learner(self, user_id: str) -> Learner | None:
        return self.learners.get(user_id)


class InMemoryCurriculum:
    def __init__(self) -> None:
        self.categories_by_id: dict[str, Category] = {}
        self.lessons_by_id: dict[str, Lesson] = {}

    async def upsert(self, categories: Sequence[Category]) -> None:
        for category in categories:
            old = self.categories_by_id.get(category.id)
            kept = {lesson.key: lesson for lesson in old.lessons} if old else {}
            kept.update({lesson.key: lesson for lesson in category.lessons})
            for lesson in category.lessons:
                previous = self.lessons_by_id.get(lesson.id)
                expressions = {e.key: e for e in previous.expressions} if previous else {}
                expressions.update({e.key: e for e in lesson.expressions})
                merged = replace(
                    lesson,
                    expressions=tuple(
                        sorted(expressions.values(), key=lambda e: (e.position, e.id))
                    ),
                )
                self.lessons_by_id[lesson.id] = merged
                kept[lesson.key] = merged
            self.categories_by_id[category.id] = replace(
                category, lessons=tuple(sorted(kept.values(), key=lambda x: (x.position, x.id)))
            )

    async def delete_lesson(self, lesson_id: str) -> bool:
        lesson = self.lessons_by_id.pop(lesson_id, None)
        if lesson is None:
            return False
        category = self.categories_by_id[lesson.category_id]
        self.categories_by_id[category.id] = replace(
            category, lessons=tuple(x for x in category.lessons if x.id != lesson_id)
        )
        return True

    async def delete_category(self, category_id: str) -> bool:
        return self.categories_by_id.pop(category_id, None) is not None

    async def remove_expressions_except(self, lesson_id: str, keep_keys: Sequence[str]) -> int:
        lesson = self.lessons_by_id.get(lesson_id)
        if lesson is None:
            return 0
        kept = tuple(e for e in lesson.expressions if e.key in set(keep_keys))
        removed = len(lesson.expressions) - len(kept)
        if removed:
            trimmed = replace(lesson, expressions=kept)
            self.lessons_by_id[lesson_id] = trimmed
            category = self.categories_by_id[lesson.category_id]
            self.categories_by_id[category.id] = replace(
                category,
                lessons=tuple(trimmed if x.id == lesson_id else x for x in category.lessons),
            )
        return removed

    @staticmethod
    def _summary(category: Category) -> CategorySummary:
        return CategorySummary(
            id=category.id,
            key=category.key,
            position=category.position,
            title=dict(category.title),
            description=dict(category.description),
            lesson_count=len(category.lessons),
        )

    @staticmethod
    def _lesson_summary(lesson: Lesson) -> LessonSummary:
        return LessonSummary(
            id=lesson.id,
            key=lesson.key,
            category_id=lesson.category_id,
            position=lesson.position,
            level=lesson.level.value,
            title=dict(lesson.title),
            description=dict(lesson.description),
            languages=sorted(lesson.languages),
            expression_count=len(lesson.expressions),
        )

    async def categories(self, page: PageRequest) -> Page[CategorySummary]:
        rows = sorted(self.categories_by_id.values(), key=lambda c: (c.position, c.id))
        chosen = [c for c in rows if _after((c.position, c.id), page.cursor)]
        return page_from_rows(
            [self._summary(c) for c in chosen[: page.limit + 1]],
            page.limit,
            lambda c: (c.position, c.id),
        )

    async def category(self, category_id: str) -> CategorySummary | None:
        category = self.categories_by_id.get(category_id)
        return self._summary(category) if category else None

    async def lessons(self, category_id: str, page: PageRequest) -> Page[LessonSummary]:
        category = self.categories_by_id.get(category_id)
        lessons = sorted(category.lessons, key=lambda x: (x.position, x.id)) if category else []
        chosen = [x for x in lessons if _after((x.position, x.id), page.cursor)]
        return page_from_rows(
            [self._lesson_summary(x) for x in chosen[: page.limit + 1]],
            page.limit,
            lambda x: (x.position, x.id),
        )

    async def lesson(self, lesson_id: str) -> Lesson | None:
        return self.lessons_by_id.get(lesson_id)


class InMemoryProgress:
    def __init__(self, curriculum: InMemoryCurriculum) -> None:
        self._curriculum = curriculum
        self.rows: dict[tuple[str, str], LessonProgress] = {}

    async def progress_of(
        self, user_id: str, lesson_ids: Sequence[str]
    ) -> dict[str, LessonProgress]:
        return {
            lesson_id: replace(self.rows[(user_id, lesson_id)])
            for lesson_id in lesson_ids
            if (user_id, lesson_id) in self.rows
        }

    async def completed_per_category(
        self, user_id: str, category_ids: Sequence[str]
    ) -> dict[str, int]:
        counts = dict.fromkeys(category_ids, 0)
        for (owner, lesson_id), progress in self.rows.items():
            lesson = self._curriculum.lessons_by_id.get(lesson_id)
            if owner != user_id or not progress.completed_at or lesson is None:
                continue
            if lesson.category_id in counts:
                counts[lesson.category_id] += 1
        return counts

    async def save(self, progress: LessonProgress) -> None:
        self.rows[(progress.user_id, progress.lesson_id)] = replace(progress)

    async def totals(self, user_id: str) -> ProgressTotals:
        completed = [
            self._curriculum.lessons_by_id.get(lesson_id)
            for (owner, lesson_id), p in self.rows.items()
            if owner == user_id and p.completed_at
        ]
        return ProgressTotals(
            lessons_completed=len(completed),
            expressions_learned=sum(len(x.expressions) for x in completed if x),
            seconds_spent=sum(p.seconds_spent for (o, _), p in self.rows.items() if o == user_id),
        )


class InMemoryActivity:
    def __init__(self) -> None:
        self.marked: dict[str, set[date]] = {}

    async def mark_day(self, user_id: str, day: date) -> None:
        self.marked.setdefault(user_id, set()).add(day)

    async def days(self, user_id: str) -> list[date]:
        return sorted(self.marked.get(user_id, ()))


class InMemoryReviewCards:
    def __init__(self) -> None:
        self.cards: dict[str, ReviewCard] = {}

    async def add_many(self, cards: Sequence[ReviewCard]) -> int:
        have = {(c.user_id, c.source, c.source_id) for c in self.cards.values()}
        added = 0
        for card in cards:
            key = (card.user_id, card.source, card.source_id)
            if key not in have:
                have.add(key)
                self.cards[card.id] = replace(card)
                added += 1
        return added

    async def get(self, card_id: str) -> ReviewCard | None:
        card = self.cards.get(card_id)
        return replace(card) if card else None

    async def save(self, card: ReviewCard) -> None:
        self.cards[card.id] = replace(card)

    async def due(
        self, user_id: str, now: datetime, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[ReviewCard]:
        rows = sorted(
            (
                c
                for c in self.cards.values()
                if c.user_id == user_id
                and c.schedule.due_at <= now
                and (after is None or (c.schedule.due_at, c.id) > after)
            ),
            key=lambda c: (c.schedule.due_at, c.id),
        )
        return [replace(c) for c in rows[:limit]]

    async def count_due(self, user_id: str, now: datetime) -> int:
        return sum(
            1 for c in self.cards.values() if c.user_id == user_id and c.schedule.due_at <= now
        )


class InMemoryCorrections:
    def __init__(self) -> None:
        self.corrections: dict[str, Correction] = {}

    async def add(self, correction: Correction) -> None:
        for c in self.corrections.values():
            if (c.corrector_id, c.target_type, c.target_id) == (
                correction.corrector_id,
                correction.target_type,
                correction.target_id,
            ):
                raise CorrectionExistsError("You already corrected this text")
        self.corrections[correction.id] = replace(correction, spans=list(correction.spans))

    async def get(self, correction_id: str) -> Correction | None:
        c = self.corrections.get(correction_id)
        return replace(c, spans=list(c.spans)) if c else None

    async def mark_accepted(self, correction: Correction) -> bool:
        stored = self.corrections.get(correction.id)
        if stored is None or stored.accepted_at is not None:
            return False
        stored.accepted_at = correction.accepted_at
        return True

    async def for_target(
        self, target_type: CorrectionTarget, target_id: str, page: PageRequest
    ) -> Page[Correction]:
        after = correction_cursor(page.cursor) if page.cursor else None
        rows = sorted(
            (
                c
                for c in self.corrections.values()
                if c.target_type is target_type
                and c.target_id == target_id
                and (after is None or (c.created_at, c.id) > after)
            ),
            key=lambda c: (c.created_at, c.id),
        )
        return page_from_rows(rows[: page.limit + 1], page.limit, correction_sort_key)

    async def received(self, author_id: str, page: PageRequest) -> Page[Correction]:
        before = correction_cursor(page.cursor) if page.cursor else None
        rows = sorted(
            (
                c
                for c in self.corrections.values()
                if c.author_id == author_id and (before is None or (c.created_at, c.id) < before)
            ),
            key=lambda c: (c.created_at, c.id),
            reverse=True,
        )
        return page_from_rows(rows[: page.limit + 1], page.limit, correction_sort_key)

    async def accepted_of(self, author_id: str, language: str | None) -> list[AcceptedCorrection]:
        rows = sorted(
            (
                c
                for c in self.corrections.values()
                if c.author_id == author_id
                and c.accepted_at is not None
                and (language is None or c.language == language)
            ),
            key=lambda c: (c.accepted_at or c.created_at, c.id),
        )
        return [AcceptedCorrection(c.accepted_at, c.category.value) for c in rows if c.accepted_at]


class InMemoryCorrectionTargets:
    """Texts by (type, id); `members` restricts who sees a message."""

    def __init__(self) -> None:
        self.texts: dict[tuple[CorrectionTarget, str], CorrectionTargetText] = {}
        self.members: dict[str, set[str]] = {}

    def put(
        self, target_type: CorrectionTarget, target_id: str, text: CorrectionTargetText
    ) -> None:
        self.texts[(target_type, target_id)] = text

    async def find(
        self, target_type: CorrectionTarget, target_id: str, viewer_id: str
    ) -> CorrectionTargetText | None:
        text = self.texts.get((target_type, target_id))
        if text is None:
            return None
        if text.conversation_id is not None and viewer_id not in self.members.get(
            text.conversation_id, set()
        ):
            return None
        return text
