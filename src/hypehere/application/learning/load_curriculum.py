"""`hypehere learning load-curriculum`: bring the database in line with the curriculum data
files after the first load (migration 0013 loads them once; this runs the same upsert).

Upserts every category, lesson and expression by key (ids derive from keys, so nothing is
duplicated) and reports what changed; a second run reports nothing. What a file no longer
has:
- an expression removed from a lesson that is still in a file is deleted (the lesson is
  what its file says; review cards keep their own copy of the text);
- a category or lesson removed from the files is KEPT, unchanged and still served, and
  listed under `not_in_files`: deleting it would delete learners' progress in it. Staff
  delete it through `/admin/learning/...` when that is what they want.
Changed lessons go to the outbox (`LessonsChanged`): search re-indexes them."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.learning.ports import (
    CurriculumReader,
    CurriculumSource,
    CurriculumWriter,
)
from hypehere.domain.learning.curriculum import CurriculumRules, curriculum_problems
from hypehere.domain.learning.errors import CurriculumFormatError
from hypehere.domain.learning.events import LessonsChanged
from hypehere.domain.learning.model import Category
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.pagination import PageRequest

logger = structlog.get_logger(__name__)

_PAGE = 100


class LoadCurriculumCommand(msgspec.Struct, frozen=True, kw_only=True):
    location: str | None = None  # a directory of curriculum files; None: the shipped one
    check: bool = True  # refuse files that break `curriculum_problems` (the shipped rules)


class LoadCurriculumResult(msgspec.Struct, frozen=True, kw_only=True):
    categories_created: list[str]
    categories_updated: list[str]
    lessons_created: list[str]
    lessons_updated: list[str]
    expressions_removed: int
    unchanged_lessons: int
    not_in_files: list[str]  # "category <key>" / "lesson <key>": kept, see the docstring

    @property
    def changed(self) -> bool:
        return bool(
            self.categories_created
            or self.categories_updated
            or self.lessons_created
            or self.lessons_updated
            or self.expressions_removed
        )


class LoadCurriculum:
    def __init__(
        self,
        source: CurriculumSource,
        reader: CurriculumReader,
        writer: CurriculumWriter,
        outbox: OutboxWriter,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._source = source
        self._reader = reader
        self._writer = writer
        self._outbox = outbox
        self._uow = uow
        self._clock = clock

    async def execute(self, cmd: LoadCurriculumCommand) -> LoadCurriculumResult:
        categories = await self._source.categories(cmd.location)
        if cmd.check and (problems := curriculum_problems(categories, CurriculumRules())):
            raise CurriculumFormatError("; ".join(problems))
        async with self._uow:
            result = await self._load(categories)
        logger.info(
            "curriculum_loaded",
            lessons_created=len(result.lessons_created),
            lessons_updated=len(result.lessons_updated),
            expressions_removed=result.expressions_removed,
            not_in_files=len(result.not_in_files),
        )
        return result

    async def _load(self, categories: list[Category]) -> LoadCurriculumResult:
        created_c: list[str] = []
        updated_c: list[str] = []
        created_l: list[str] = []
        updated_l: list[str] = []
        changed_ids: list[str] = []
        languages: set[str] = set()
        unchanged = 0
        for category in categories:
            old = await self._reader.category(category.id)
            if old is None:
                created_c.append(category.key)
            elif (old.position, old.title, old.description) != (
                category.position,
                dict(category.title),
                dict(category.description),
            ):
                updated_c.append(category.key)
            for lesson in category.lessons:
                previous = await self._reader.lesson(lesson.id)
                if previous is None:
                    created_l.append(lesson.key)
                elif previous != lesson:
                    updated_l.append(lesson.key)
                    languages |= previous.languages
                else:
                    unchanged += 1
                    continue
                changed_ids.append(lesson.id)
                languages |= lesson.languages
        await self._writer.upsert(categories)
        removed = 0
        for category in categories:
            for lesson in category.lessons:
                keys = [expression.key for expression in lesson.expressions]
                removed += await self._writer.remove_expressions_except(lesson.id, keys)
        if changed_ids:
            await self._outbox.add(
                LessonsChanged(
                    occurred_at=self._clock.now(),
                    lesson_ids=tuple(changed_ids),
                    languages=tuple(sorted(languages)),
                )
            )
        return LoadCurriculumResult(
            categories_created=created_c,
            categories_updated=updated_c,
            lessons_created=created_l,
            lessons_updated=updated_l,
            expressions_removed=removed,
            unchanged_lessons=unchanged,
            not_in_files=await self._not_in_files(categories),
        )

    async def _not_in_files(self, categories: list[Category]) -> list[str]:
        in_files = {category.id for category in categories}
        lessons_in_files = {lesson.id for category in categories for lesson in category.lessons}
        missing: list[str] = []
        cursor: str | None = None
        while True:
            page = await self._reader.categories(PageRequest.of(_PAGE, cursor, arity=2))
            for summary in page.items:
                if summary.id not in in_files:
                    missing.append(f"category {summary.key}")
                lesson_cursor: str | None = None
                while True:
                    lessons = await self._reader.lessons(
                        summary.id, PageRequest.of(_PAGE, lesson_cursor, arity=2)
                    )
                    missing.extend(
                        f"lesson {lesson.key}"
                        for lesson in lessons.items
                        if lesson.id not in lessons_in_files
                    )
                    if lessons.next_cursor is None:
                        break
                    lesson_cursor = lessons.next_cursor
            if page.next_cursor is None:
                return missing
            cursor = page.next_cursor
