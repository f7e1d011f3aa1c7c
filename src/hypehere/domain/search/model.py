"""Searchable documents and queries, independent of the index technology."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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


@dataclass(frozen=True, slots=True)
class SearchHits:
    """Document ids in rank order; `has_more` says whether another page exists."""

    ids: list[str]
    has_more: bool
