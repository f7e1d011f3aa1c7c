"""Searchable documents and queries, independent of the index technology."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

# Lessons are indexed once per language they are written in: the document id is the
# lesson id and the language joined by `_` (lesson ids are UUIDs: no `_` in them).
LESSON_DOCUMENT_SEPARATOR = "_"
# Curriculum content has no creation time that matters to search: every lesson document is
# dated here, so a query's `as_of` never hides it.
CURRICULUM_INDEXED_AT = datetime(2000, 1, 1, tzinfo=UTC)


def lesson_document_id(lesson_id: str, language: str) -> str:
    return f"{lesson_id}{LESSON_DOCUMENT_SEPARATOR}{language}"


def lesson_id_of(document_id: str) -> str:
    """The lesson of a lesson document id (the id itself when it has no language part)."""
    return document_id.rsplit(LESSON_DOCUMENT_SEPARATOR, 1)[0]


class SearchKind(StrEnum):
    POSTS = "posts"
    USERS = "users"
    LESSONS = "lessons"


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One entry of the index: `text` is what is searched, the rest filters and orders.

    `owner_id` is whose content it is (a post's author, the user themself), so blocked
    people's documents can be excluded at query time."""

    kind: SearchKind
    id: str
    text: str
    language: str | None
    owner_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """`as_of` freezes the result set for pagination: documents created later are left
    out, so paging by offset through one query never shows a document twice."""

    kind: SearchKind
    text: str
    language: str | None
    as_of: datetime
    offset: int = 0
    limit: int = 20
    exclude_owner_ids: frozenset[str] = frozenset()
    # Any of these languages (used when `language` is None; empty: every language).
    languages: frozenset[str] = frozenset()

    def language_filter(self) -> frozenset[str]:
        """The languages a hit must be in (empty: any)."""
        if self.language is not None:
            return frozenset({self.language})
        return self.languages


@dataclass(frozen=True, slots=True)
class SearchHits:
    """Document ids in rank order; `has_more` says whether another page exists."""

    ids: list[str]
    has_more: bool


def lesson_documents(
    lesson_id: str,
    languages: Sequence[str],
    title: Mapping[str, str],
    expressions: Sequence[tuple[Mapping[str, str], Mapping[str, str]]],
) -> list[SearchDocument]:
    """A lesson's search documents, one per language it is written in: the title and every
    expression's text (and romanization, so `annyeonghaseyo` finds 안녕하세요) in that
    language. `expressions` are (text, romanization) per expression."""
    documents = []
    for language in sorted(set(languages)):
        parts = [title.get(language, "")]
        for text, romanization in expressions:
            parts.append(text.get(language, ""))
            parts.append(romanization.get(language, ""))
        documents.append(
            SearchDocument(
                kind=SearchKind.LESSONS,
                id=lesson_document_id(lesson_id, language),
                text="\n".join(part for part in parts if part),
                language=language,
                owner_id=None,
                created_at=CURRICULUM_INDEXED_AT,
            )
        )
    return documents
