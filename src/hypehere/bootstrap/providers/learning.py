"""The learning module: SQL storage of the curriculum, progress, streak days and review
cards, the learner directory (over the users module's published queries), the FSRS
scheduler, and the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.fsrs.scheduler import FsrsScheduler
from hypehere.adapters.language.main_language import MainLanguageDetector
from hypehere.adapters.modules.learning_audit import ModerationContentAudit
from hypehere.adapters.sql.learning.corrections import (
    SqlCorrectionRepository,
    SqlCorrectionTargets,
)
from hypehere.adapters.sql.learning.curriculum import SqlCurriculumReader, SqlCurriculumWriter
from hypehere.adapters.sql.learning.learners import SqlLearnerDirectory
from hypehere.adapters.sql.learning.progress import SqlActivityRepository, SqlProgressRepository
from hypehere.adapters.sql.learning.reviews import SqlReviewCardRepository
from hypehere.adapters.yaml.curriculum import YamlCurriculumSource
from hypehere.application.feed.ports import LanguageDetector
from hypehere.application.learning.accept_correction import AcceptCorrection
from hypehere.application.learning.correct_message import CorrectMessage
from hypehere.application.learning.create_category import CreateCategory
from hypehere.application.learning.create_correction import CreateCorrection
from hypehere.application.learning.delete_category import DeleteCategory
from hypehere.application.learning.delete_lesson import DeleteLesson
from hypehere.application.learning.get_category_document import GetCategoryDocument
from hypehere.application.learning.get_error_profile import GetErrorProfile
from hypehere.application.learning.get_lesson import GetLesson
from hypehere.application.learning.get_stats import GetStats
from hypehere.application.learning.list_categories import ListCategories
from hypehere.application.learning.list_corrections import (
    ListCorrections,
    ListReceivedCorrections,
)
from hypehere.application.learning.list_due_reviews import ListDueReviews
from hypehere.application.learning.list_lessons import ListLessons
from hypehere.application.learning.load_curriculum import LoadCurriculum
from hypehere.application.learning.ports import (
    ActivityRepository,
    ContentAudit,
    CorrectionRepository,
    CorrectionTargets,
    CurriculumReader,
    CurriculumSource,
    CurriculumWriter,
    LearnerDirectory,
    ProgressRepository,
    ReviewCardRepository,
    ReviewScheduler,
    TextLanguageDetector,
)
from hypehere.application.learning.record_progress import RecordProgress
from hypehere.application.learning.save_lesson import SaveLesson
from hypehere.application.learning.submit_review import SubmitReview
from hypehere.application.learning.update_category import UpdateCategory
from hypehere.application.moderation.audit_ports import AuditLog


class LearningProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def scheduler(self) -> ReviewScheduler:
        return FsrsScheduler()

    @provide(scope=Scope.APP)
    def language(self, detector: LanguageDetector) -> TextLanguageDetector:
        return MainLanguageDetector(detector)

    @provide
    def corrections(self, session: AsyncSession) -> CorrectionRepository:
        return SqlCorrectionRepository(session)

    @provide
    def correction_targets(self, session: AsyncSession) -> CorrectionTargets:
        return SqlCorrectionTargets(session)

    @provide
    def curriculum(self, session: AsyncSession) -> CurriculumReader:
        return SqlCurriculumReader(session)

    @provide
    def curriculum_writer(self, session: AsyncSession) -> CurriculumWriter:
        return SqlCurriculumWriter(session)

    @provide
    def content_audit(self, log: AuditLog) -> ContentAudit:
        return ModerationContentAudit(log)

    @provide(scope=Scope.APP)
    def curriculum_source(self) -> CurriculumSource:
        return YamlCurriculumSource()

    @provide
    def progress(self, session: AsyncSession) -> ProgressRepository:
        return SqlProgressRepository(session)

    @provide
    def activity(self, session: AsyncSession) -> ActivityRepository:
        return SqlActivityRepository(session)

    @provide
    def cards(self, session: AsyncSession) -> ReviewCardRepository:
        return SqlReviewCardRepository(session)

    @provide
    def learners(self, session: AsyncSession) -> LearnerDirectory:
        return SqlLearnerDirectory(session)

    use_cases = provide_all(
        ListCategories,
        ListLessons,
        GetLesson,
        RecordProgress,
        GetStats,
        ListDueReviews,
        SubmitReview,
        CreateCorrection,
        CorrectMessage,
        ListCorrections,
        ListReceivedCorrections,
        AcceptCorrection,
        GetErrorProfile,
        LoadCurriculum,
        CreateCategory,
        UpdateCategory,
        DeleteCategory,
        SaveLesson,
        DeleteLesson,
        GetCategoryDocument,
    )
