"""What the curriculum use cases (categories, lessons, one lesson) share: the command's
reader fields, the ports they read, and how the learner and their reader are loaded."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.learning.ports import (
    CurriculumReader,
    Learner,
    LearnerDirectory,
    ProgressRepository,
)
from hypehere.application.learning.views import Reader
from hypehere.domain.learning.errors import LessonNotFoundError
from hypehere.domain.learning.model import Lesson

CURSOR_ARITY = 2  # (position, id): categories and lessons are both paged in curriculum order


class ReadContent(msgspec.Struct, frozen=True, kw_only=True):
    """`actor` reads curriculum content; `fallback_language` is the request's language, used
    when the content lacks the learner's native language."""

    actor: Actor
    fallback_language: str


class ReadContentPage(ReadContent, frozen=True, kw_only=True):
    limit: int | None = None
    cursor: str | None = None


class LessonHead(msgspec.Struct, frozen=True):
    """What a lesson shows in a list and on its own page alike (title and description in
    the reader's language)."""

    id: str
    key: str
    category_id: str
    position: int
    level: str
    title: str
    description: str


async def load_lesson(curriculum: CurriculumReader, lesson_id: str) -> Lesson:
    lesson = await curriculum.lesson(lesson_id)
    if lesson is None:
        raise LessonNotFoundError("The lesson was not found")
    return lesson


class ContentUseCase:
    """Base of the use cases that render curriculum content for one learner."""

    def __init__(
        self,
        curriculum: CurriculumReader,
        progress: ProgressRepository,
        learners: LearnerDirectory,
    ) -> None:
        self._curriculum = curriculum
        self._progress = progress
        self._learners = learners

    async def _learner(self, cmd: ReadContent) -> tuple[Learner | None, Reader]:
        """The acting learner (None before they set languages) and the reader to render for."""
        learner = await self._learners.learner(cmd.actor.user_id)
        return learner, Reader.of(learner, cmd.fallback_language)
