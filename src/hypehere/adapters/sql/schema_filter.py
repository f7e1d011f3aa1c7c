"""Database objects that migrations create but the SQLModel metadata does not describe.

Autogenerate and the "head == models" test skip them (`include_object`), so a
dialect-specific object (an FTS5 virtual table, a GIN expression index) never shows up as
a difference."""

from __future__ import annotations

from typing import Any

UNMANAGED_TABLE_PREFIXES: tuple[str, ...] = ("search_documents_fts", "search_terms_fts")
UNMANAGED_INDEXES: frozenset[str] = frozenset(
    {"ix_search_documents_body_tsv", "ix_search_documents_body_trgm", "ix_search_terms_word_trgm"}
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if name is None:
        return True
    if type_ == "table" and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name in UNMANAGED_INDEXES)
