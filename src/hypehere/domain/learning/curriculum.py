"""Reading and checking curriculum documents (one per situation category).

A document is plain data (as parsed from the YAML data files):
`{"category": {key, position, title, description}, "lessons": [{key, position, level,
title, description, expressions: [{key, text, romanization?, note, vocabulary}]}]}`.
`parse_category` turns it into the model (or raises `CurriculumFormatError` naming the
place); `curriculum_problems` lists every rule the content breaks (the validation test
fails on any)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hypehere.domain.learning.errors import CurriculumFormatError
from hypehere.domain.learning.model import Category, Expression, Lesson, VocabularyItem
from hypehere.domain.shared.languages import CefrLevel


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CurriculumFormatError(f"{where}: expected a mapping")
    return value


def _texts(value: Any, where: str, *, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    texts = _mapping(value, where)
    out: dict[str, str] = {}
    for language, text in texts.items():
        if not isinstance(language, str) or not isinstance(text, str):
            raise CurriculumFormatError(f"{where}.{language}: expected a string")
        out[language] = text.strip()
    return out


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CurriculumFormatError(f"{where}: expected a non-empty string")
    return value.strip()


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CurriculumFormatError(f"{where}: expected an integer")
    return value


def _list(value: Any, where: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise CurriculumFormatError(f"{where}: expected a list")
    return value


def _vocabulary(value: Any, where: str) -> dict[str, tuple[VocabularyItem, ...]]:
    if value is None:
        return {}
    out: dict[str, tuple[VocabularyItem, ...]] = {}
    for language, items in _mapping(value, where).items():
        parsed = []
        for i, raw in enumerate(_list(items, f"{where}.{language}")):
            here = f"{where}.{language}[{i}]"
            item = _mapping(raw, here)
            reading = item.get("reading")
            parsed.append(
                VocabularyItem(
                    word=_str(item.get("word"), f"{here}.word"),
                    part_of_speech=_str(item.get("part_of_speech"), f"{here}.part_of_speech"),
                    meaning=_texts(item.get("meaning"), f"{here}.meaning"),
                    reading=_str(reading, f"{here}.reading") if reading is not None else None,
                )
            )
        out[str(language)] = tuple(parsed)
    return out


def _expression(raw: Any, position: int, where: str) -> Expression:
    doc = _mapping(raw, where)
    return Expression(
        key=_str(doc.get("key"), f"{where}.key"),
        position=position,
        text=_texts(doc.get("text"), f"{where}.text"),
        note=_texts(doc.get("note"), f"{where}.note"),
        romanization=_texts(doc.get("romanization"), f"{where}.romanization", required=False),
        vocabulary=_vocabulary(doc.get("vocabulary"), f"{where}.vocabulary"),
    )


def parse_lesson(document: Any, category_key: str, *, source: str = "lesson") -> Lesson:
    """One lesson document (as in a curriculum file's `lessons` list) -> a lesson."""
    return _lesson(document, category_key, source)


def _lesson(raw: Any, category_key: str, where: str) -> Lesson:
    doc = _mapping(raw, where)
    level = doc.get("level")
    try:
        cefr = CefrLevel(str(level))
    except ValueError as exc:
        raise CurriculumFormatError(f"{where}.level: expected A1..C2, got {level!r}") from exc
    expressions = _list(doc.get("expressions"), f"{where}.expressions")
    return Lesson(
        key=_str(doc.get("key"), f"{where}.key"),
        category_key=category_key,
        position=_int(doc.get("position"), f"{where}.position"),
        level=cefr,
        title=_texts(doc.get("title"), f"{where}.title"),
        description=_texts(doc.get("description"), f"{where}.description"),
        expressions=tuple(
            _expression(e, i + 1, f"{where}.expressions[{i}]") for i, e in enumerate(expressions)
        ),
    )


def parse_category(document: Any, *, source: str = "document") -> Category:
    """One curriculum document -> a category with its lessons and expressions."""
    doc = _mapping(document, source)
    head = _mapping(doc.get("category"), f"{source}: category")
    key = _str(head.get("key"), f"{source}: category.key")
    lessons = _list(doc.get("lessons"), f"{source}: lessons")
    return Category(
        key=key,
        position=_int(head.get("position"), f"{source}: category.position"),
        title=_texts(head.get("title"), f"{source}: category.title"),
        description=_texts(head.get("description"), f"{source}: category.description"),
        lessons=tuple(
            _lesson(raw, key, f"{source}: lessons[{i}]") for i, raw in enumerate(lessons)
        ),
    )


@dataclass(frozen=True, slots=True)
class CurriculumRules:
    """What every shipped category must satisfy. Staff edits (`/admin/learning/...`) use
    `STAFF_RULES`: the same content rules, any number of lessons, at least one expression."""

    languages: tuple[str, ...] = ("ko", "en", "ja", "es")
    romanized: tuple[str, ...] = ("ko", "ja")  # expressions romanized, words with a reading
    lessons_per_category: int | None = 3  # None: any number
    expressions_per_lesson: int | None = 8  # None: at least one


STAFF_RULES = CurriculumRules(lessons_per_category=None, expressions_per_lesson=None)


def _missing(texts: Mapping[str, str], languages: Sequence[str]) -> list[str]:
    return [language for language in languages if not texts.get(language)]


def _expression_problems(e: Expression, rules: CurriculumRules, where: str) -> list[str]:
    problems = []
    for name, texts in (("text", e.text), ("note", e.note)):
        if missing := _missing(texts, rules.languages):
            problems.append(f"{where}: {name} lacks {', '.join(missing)}")
    if missing := _missing(e.romanization, rules.romanized):
        problems.append(f"{where}: romanization lacks {', '.join(missing)}")
    for language in rules.languages:
        items = e.vocabulary.get(language, ())
        if not items:
            problems.append(f"{where}: no vocabulary for {language}")
        others = [other for other in rules.languages if other != language]
        for item in items:
            if language in rules.romanized and not item.reading:
                problems.append(f"{where}: vocabulary {language} {item.word!r} has no reading")
            if missing := _missing(item.meaning, others):
                problems.append(
                    f"{where}: vocabulary {language} {item.word!r} lacks a meaning in "
                    f"{', '.join(missing)}"
                )
    return problems


def curriculum_problems(
    categories: Sequence[Category], rules: CurriculumRules | None = None
) -> list[str]:
    """Every broken rule, one line each (an empty list: the curriculum is sound)."""
    rules = rules or CurriculumRules()
    problems: list[str] = []
    seen_keys: dict[str, str] = {}
    seen_texts: dict[tuple[str, str], str] = {}

    def unique_key(kind: str, key: str) -> None:
        if key in seen_keys:
            problems.append(f"{kind} key {key!r} is used twice (also by a {seen_keys[key]})")
        seen_keys.setdefault(key, kind)

    positions: dict[int, str] = {}
    for category in categories:
        where = f"category {category.key}"
        unique_key("category", category.key)
        if category.position in positions:
            problems.append(
                f"{where}: position {category.position} also used by {positions[category.position]}"
            )
        positions.setdefault(category.position, category.key)
        for name, texts in (("title", category.title), ("description", category.description)):
            if missing := _missing(texts, rules.languages):
                problems.append(f"{where}: {name} lacks {', '.join(missing)}")
        if (
            rules.lessons_per_category is not None
            and len(category.lessons) != rules.lessons_per_category
        ):
            problems.append(
                f"{where}: {len(category.lessons)} lessons, expected {rules.lessons_per_category}"
            )
        for lesson in category.lessons:
            here = f"lesson {lesson.key}"
            unique_key("lesson", lesson.key)
            for name, texts in (("title", lesson.title), ("description", lesson.description)):
                if missing := _missing(texts, rules.languages):
                    problems.append(f"{here}: {name} lacks {', '.join(missing)}")
            if rules.expressions_per_lesson is None:
                if not lesson.expressions:
                    problems.append(f"{here}: no expressions")
            elif len(lesson.expressions) != rules.expressions_per_lesson:
                problems.append(
                    f"{here}: {len(lesson.expressions)} expressions, expected "
                    f"{rules.expressions_per_lesson}"
                )
            if not lesson.key.startswith(f"{category.key}-"):
                problems.append(f"{here}: the key must start with {category.key}-")
            for expression in lesson.expressions:
                there = f"expression {expression.key}"
                unique_key("expression", expression.key)
                if not expression.key.startswith(f"{lesson.key}-"):
                    problems.append(f"{there}: the key must start with {lesson.key}-")
                problems.extend(_expression_problems(expression, rules, there))
                for language, text in expression.text.items():
                    normalized = " ".join(text.casefold().split())
                    other = seen_texts.setdefault((language, normalized), expression.key)
                    if other != expression.key:
                        problems.append(
                            f"{there}: {language} text {text!r} duplicates expression {other}"
                        )
    return problems


def lesson_document(lesson: Lesson) -> dict[str, Any]:
    """A lesson as a curriculum file writes it (`parse_lesson` reads it back)."""
    return {
        "key": lesson.key,
        "position": lesson.position,
        "level": lesson.level.value,
        "title": dict(lesson.title),
        "description": dict(lesson.description),
        "expressions": [
            {
                "key": e.key,
                "text": dict(e.text),
                "romanization": dict(e.romanization),
                "note": dict(e.note),
                "vocabulary": {
                    language: [
                        {
                            "word": item.word,
                            **({"reading": item.reading} if item.reading else {}),
                            "part_of_speech": item.part_of_speech,
                            "meaning": dict(item.meaning),
                        }
                        for item in items
                    ]
                    for language, items in e.vocabulary.items()
                },
            }
            for e in lesson.expressions
        ],
    }


def category_document(category: Category) -> dict[str, Any]:
    """A category as a curriculum file writes it (`parse_category` reads it back)."""
    return {
        "category": {
            "key": category.key,
            "position": category.position,
            "title": dict(category.title),
            "description": dict(category.description),
        },
        "lessons": [lesson_document(lesson) for lesson in category.lessons],
    }
