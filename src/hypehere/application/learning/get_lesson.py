"""`GET /learning/lessons/{id}`: a lesson served for my native -> target language.

Expressions in the target language (my first target language unless
`target_language` overrides it; 422 `validation_error`, field code
`lesson_language_unavailable`, when the lesson lacks it), with their romanization, the
usage note in my native language, and the target language's vocabulary with meanings in
my native language."""

from __future__ import annotations

import msgspec

from hypehere.application.learning.content import (
    ContentUseCase,
    LessonHead,
    ReadContent,
    load_lesson,
)
from hypehere.application.learning.targets import target_language_for
from hypehere.application.learning.views import ProgressView, Reader
from hypehere.domain.learning.model import Expression


class GetLessonCommand(ReadContent, frozen=True, kw_only=True):
    lesson_id: str
    target_language: str | None = None


class VocabularyView(msgspec.Struct, frozen=True, kw_only=True):
    word: str
    reading: str | None
    part_of_speech: str
    meaning: str


class ExpressionView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    key: str
    position: int
    text: str
    romanization: str | None
    note: str
    vocabulary: list[VocabularyView]


class LessonView(LessonHead, frozen=True):
    """`text` of each expression is in `target_language`; title, description, notes and
    meanings are in `explanation_language` (my native language when the lesson has it)."""

    target_language: str
    explanation_language: str  # the language of title, description, notes and meanings
    languages: list[str]
    expressions: list[ExpressionView]
    progress: ProgressView


def _expression(e: Expression, target: str, reader: Reader) -> ExpressionView:
    return ExpressionView(
        id=e.id,
        key=e.key,
        position=e.position,
        text=e.text[target],
        note=reader.text(e.note),
        romanization=e.romanization.get(target) or None,
        vocabulary=[
            VocabularyView(
                word=item.word,
                part_of_speech=item.part_of_speech,
                meaning=reader.text(item.meaning),
                reading=item.reading,
            )
            for item in e.vocabulary.get(target, ())
        ],
    )


class GetLesson(ContentUseCase):
    async def execute(self, cmd: GetLessonCommand) -> LessonView:
        lesson = await load_lesson(self._curriculum, cmd.lesson_id)
        learner, reader = await self._learner(cmd)
        target = target_language_for(lesson, learner, cmd.target_language)
        progress = await self._progress.progress_of(cmd.actor.user_id, [lesson.id])
        return LessonView(
            id=lesson.id,
            key=lesson.key,
            category_id=lesson.category_id,
            position=lesson.position,
            level=lesson.level.value,
            title=reader.text(lesson.title),
            description=reader.text(lesson.description),
            explanation_language=reader.language_of(lesson.title),
            target_language=target,
            languages=sorted(lesson.languages),
            expressions=[_expression(e, target, reader) for e in lesson.expressions],
            progress=ProgressView.of(progress.get(lesson.id)),
        )
