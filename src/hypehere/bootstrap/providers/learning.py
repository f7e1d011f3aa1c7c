"""The learning module: SQL storage of the curriculum and progress, the learner directory
(over the users module's published queries) and the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.learning.curriculum import SqlCurriculumReader, SqlCurriculumWriter
from hypehere.adapters.sql.learning.learners import SqlLearnerDirectory
from hypehere.adapters.sql.learning.progress import SqlProgressRepository
from hypehere.application.learning.get_lesson import GetLesson
from hypehere.application.learning.list_categories import ListCategories
from hypehere.application.learning.list_lessons import ListLessons
from hypehere.application.learning.ports import (
    CurriculumReader,
    CurriculumWriter,
    LearnerDirectory,
    ProgressRepository,
)


class LearningProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def curriculum(self, session: AsyncSession) -> CurriculumReader:
        return SqlCurriculumReader(session)

    @provide
    def curriculum_writer(self, session: AsyncSession) -> CurriculumWriter:
        return SqlCurriculumWriter(session)

    @provide
    def progress(self, session: AsyncSession) -> ProgressRepository:
        return SqlProgressRepository(session)

    @provide
    def learners(self, session: AsyncSession) -> LearnerDirectory:
        return SqlLearnerDirectory(session)

    use_cases = provide_all(ListCategories, ListLessons, GetLesson)
