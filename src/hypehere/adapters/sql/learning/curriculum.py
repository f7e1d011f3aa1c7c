"""The curriculum in SQL: loading it (upsert by key, used by the data migration and by
`SqlCurriculumWriter`) and reading it (`SqlCurriculumReader`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.learning.tables import categories_t, expressions_t, lessons_t
from hypehere.application.learning.ports import CategorySummary, LessonSummary
from hypehere.domain.learning.model import (
    Category,
    Expression,
    Lesson,
    VocabularyItem,
)
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows


def _vocabulary_document(expression: Expression) -> dict[str, Any]:
    return {
        language: [
            {
                "word": item.word,
                "reading": item.reading,
                "part_of_speech": item.part_of_speech,
                "meaning": dict(item.meaning),
            }
            for item in items
        ]
        for language, items in expression.vocabulary.items()
    }


def _upsert(dialect: str, table: Table, rows: list[dict[str, Any]]) -> Executable:
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    statement = insert.values(rows)
    return statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={name: statement.excluded[name] for name in rows[0] if name not in ("id", "key")},
    )


def curriculum_statements(dialect: str, categories: Sequence[Category]) -> list[Executable]:
    """The statements that insert or update these categories, lessons and expressions."""
    statements: list[Executable] = []
    for category in categories:
        statements.append(
            _upsert(
                dialect,
                categories_t,
                [
                    {
                        "id": category.id,
                        "key": category.key,
                        "position": category.position,
                        "title": dict(category.title),
                        "description": dict(category.description),
                    }
                ],
            )
        )
        if not category.lessons:
            continue
        statements.append(
            _upsert(
                dialect,
                lessons_t,
                [
                    {
                        "id": lesson.id,
                        "key": lesson.key,
                        "category_id": category.id,
                        "position": lesson.position,
                        "level": lesson.level.value,
                        "title": dict(lesson.title),
                        "description": dict(lesson.description),
                        "languages": sorted(lesson.languages),
                        "expression_count": len(lesson.expressions),
                    }
                    for lesson in category.lessons
                ],
            )
        )
        for lesson in category.lessons:
            if not lesson.expressions:
                continue
            statements.append(
                _upsert(
                    dialect,
                    expressions_t,
                    [
                        {
                            "id": e.id,
                            "key": e.key,
                            "lesson_id": lesson.id,
                            "position": e.position,
                            "text": dict(e.text),
                            "romanization": dict(e.romanization),
                            "note": dict(e.note),
                            "vocabulary": _vocabulary_document(e),
                        }
                        for e in lesson.expressions
                    ],
                )
            )
    return statements


def load_curriculum_into(connection: Connection, categories: Sequence[Category]) -> None:
    """Upsert the curriculum on a synchronous connection (the data migration's)."""
    for statement in curriculum_statements(connection.dialect.name, categories):
        connection.execute(statement)


class SqlCurriculumWriter:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, categories: Sequence[Category]) -> None:
        dialect = self._session.get_bind().dialect.name
        async with translate_errors():
            for statement in curriculum_statements(dialect, categories):
                await self._session.execute(statement)

    async def delete_lesson(self, lesson_id: str) -> bool:
        async with translate_errors():
            result: Any = await self._session.execute(
                delete(lessons_t).where(lessons_t.c.id == lesson_id)
            )
        return bool(result.rowcount)

    async def delete_category(self, category_id: str) -> bool:
        async with translate_errors():
            result: Any = await self._session.execute(
                delete(categories_t).where(categories_t.c.id == category_id)
            )
        return bool(result.rowcount)

    async def remove_expressions_except(self, lesson_id: str, keep_keys: Sequence[str]) -> int:
        statement = delete(expressions_t).where(
            expressions_t.c.lesson_id == lesson_id, expressions_t.c.key.not_in(list(keep_keys))
        )
        async with translate_errors():
            result: Any = await self._session.execute(statement)
        return int(result.rowcount or 0)


def _after(table: Table, cursor: tuple[Any, ...] | None) -> Any:
    if cursor is None:
        return None
    position, id_ = cursor
    return (table.c.position > int(position)) | (
        (table.c.position == int(position)) & (table.c.id > str(id_))
    )


def _category_summary(row: Any) -> CategorySummary:
    return CategorySummary(
        id=row.id,
        key=row.key,
        position=row.position,
        title=dict(row.title),
        description=dict(row.description),
        lesson_count=row.lesson_count,
    )


def _lesson_summary(row: Any) -> LessonSummary:
    return LessonSummary(
        id=row.id,
        key=row.key,
        category_id=row.category_id,
        position=row.position,
        level=row.level,
        title=dict(row.title),
        description=dict(row.description),
        languages=list(row.languages),
        expression_count=row.expression_count,
    )


def _expression(row: Any) -> Expression:
    return Expression(
        key=row.key,
        position=row.position,
        text=dict(row.text),
        note=dict(row.note),
        romanization=dict(row.romanization),
        vocabulary={
            language: tuple(
                VocabularyItem(
                    word=item["word"],
                    part_of_speech=item["part_of_speech"],
                    meaning=dict(item["meaning"]),
                    reading=item.get("reading"),
                )
                for item in items
            )
            for language, items in dict(row.vocabulary).items()
        },
    )


class SqlCurriculumReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _categories_select(self) -> Any:
        lesson_count = (
            select(func.count())
            .where(lessons_t.c.category_id == categories_t.c.id)
            .scalar_subquery()
            .label("lesson_count")
        )
        return select(categories_t, lesson_count)

    async def categories(self, page: PageRequest) -> Page[CategorySummary]:
        statement = self._categories_select()
        condition = _after(categories_t, page.cursor)
        if condition is not None:
            statement = statement.where(condition)
        statement = statement.order_by(categories_t.c.position, categories_t.c.id).limit(
            page.limit + 1
        )
        async with translate_errors():
            rows = (await self._session.execute(statement)).all()
        return page_from_rows(
            [_category_summary(r) for r in rows], page.limit, lambda c: (c.position, c.id)
        )

    async def category(self, category_id: str) -> CategorySummary | None:
        statement = self._categories_select().where(categories_t.c.id == category_id)
        async with translate_errors():
            row = (await self._session.execute(statement)).first()
        return _category_summary(row) if row else None

    async def lessons(self, category_id: str, page: PageRequest) -> Page[LessonSummary]:
        statement = select(lessons_t).where(lessons_t.c.category_id == category_id)
        condition = _after(lessons_t, page.cursor)
        if condition is not None:
            statement = statement.where(condition)
        statement = statement.order_by(lessons_t.c.position, lessons_t.c.id).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(statement)).all()
        return page_from_rows(
            [_lesson_summary(r) for r in rows], page.limit, lambda x: (x.position, x.id)
        )

    async def lesson(self, lesson_id: str) -> Lesson | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(lessons_t, categories_t.c.key.label("category_key"))
                    .join(categories_t, categories_t.c.id == lessons_t.c.category_id)
                    .where(lessons_t.c.id == lesson_id)
                )
            ).first()
            if row is None:
                return None
            expressions = (
                await self._session.execute(
                    select(expressions_t)
                    .where(expressions_t.c.lesson_id == lesson_id)
                    .order_by(expressions_t.c.position, expressions_t.c.id)
                )
            ).all()
        return Lesson(
            key=row.key,
            category_key=row.category_key,
            position=row.position,
            level=CefrLevel(row.level),
            title=dict(row.title),
            description=dict(row.description),
            expressions=tuple(_expression(e) for e in expressions),
        )
