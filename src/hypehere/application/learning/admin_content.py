"""What the staff content use cases (`/admin/learning/...`) share.

Staff write content in the curriculum file format (`domain.learning.curriculum`): a
category document `{category: {key, position, title, description}, lessons: [...]}` or one
lesson document `{key, position, level, title, description, expressions: [...]}`.
Expressions are edited as part of their lesson (a lesson document replaces the lesson's
expressions). Every change is checked with the curriculum rules (`STAFF_RULES`: every text
and note in ko, en, ja and es, romanization and readings for ko and ja, vocabulary with
meanings in the other languages, no duplicates, keys prefixed by their parent's key), is
audit-logged in the same transaction (actions `learning_<thing>_<verb>`), and sends
`LessonsChanged` through the outbox so search follows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.learning.ports import ContentAudit, CurriculumReader, CurriculumWriter
from hypehere.domain.learning.curriculum import STAFF_RULES, curriculum_problems
from hypehere.domain.learning.errors import (
    CategoryNotFoundError,
    CurriculumContentInvalidError,
    CurriculumFormatError,
)
from hypehere.domain.learning.events import LessonsChanged
from hypehere.domain.learning.model import Category, Lesson
from hypehere.domain.shared.clock import Clock

AUDIT_CATEGORY = "category"
AUDIT_LESSON = "lesson"


class StaffContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor


def check(categories: Sequence[Category]) -> None:
    """422 `curriculum_invalid` listing every broken rule."""
    problems = curriculum_problems(categories, STAFF_RULES)
    if problems:
        raise CurriculumContentInvalidError("; ".join(problems[:50]), field="document")


def parsed(parse: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a curriculum parser, a malformed document being 422 `curriculum_invalid`."""
    try:
        return parse(*args, **kwargs)
    except CurriculumFormatError as exc:
        raise CurriculumContentInvalidError(exc.message, field="document") from exc


class StaffContentUseCase:
    def __init__(
        self,
        uow: UnitOfWork,
        reader: CurriculumReader,
        writer: CurriculumWriter,
        audit: ContentAudit,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._reader = reader
        self._writer = writer
        self._audit = audit
        self._outbox = outbox
        self._clock = clock

    @staticmethod
    def _staff(cmd: StaffContentCommand) -> None:
        require_staff(cmd.actor)

    async def _category(self, category_id: str) -> Category:
        """The category's head (without its lessons)."""
        summary = await self._reader.category(category_id)
        if summary is None:
            raise CategoryNotFoundError("The category was not found")
        return Category(
            key=summary.key,
            position=summary.position,
            title=summary.title,
            description=summary.description,
        )

    async def _lessons_changed(self, lessons: Sequence[Lesson], languages: set[str]) -> None:
        await self._outbox.add(
            LessonsChanged(
                occurred_at=self._clock.now(),
                lesson_ids=tuple(lesson.id for lesson in lessons),
                languages=tuple(sorted(languages)),
            )
        )
