"""The SQL full-text index used when no Meilisearch is configured.

`search_documents` is an ordinary table (in the metadata, truncated by tests). The
dialect-specific full-text objects on top of it are created by the search migration and
kept out of the metadata (see `adapters/sql/schema_filter.py`):
- SQLite: the FTS5 table `search_documents_fts` (trigram tokenizer, external content =
  this table, rowid = `seq`) kept in step by triggers;
- PostgreSQL: GIN indexes on `to_tsvector('simple', body)` and on `body gin_trgm_ops`
  (extension pg_trgm).
Only the search adapters write this table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import UtcDateTime


class SearchDocumentRow(SQLModel, table=True):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "doc_id"),
        Index("ix_search_documents_kind_created_at", "kind", "created_at"),
    )

    seq: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    doc_id: str = Field(sa_column=Column(String(64), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    language: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))
    owner_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class SearchTermRow(SQLModel, table=True):
    """Every word (4-64 characters) seen in an indexed document: typo lookups find similar
    words here first (a small table), then the documents containing them. Append-only;
    a word whose documents are gone simply finds nothing. Full-text objects on top of it
    (migration 0008): SQLite FTS5 `search_terms_fts` (trigram), PostgreSQL GIN
    `word gin_trgm_ops`."""

    __tablename__ = "search_terms"
    __table_args__ = (UniqueConstraint("word"),)

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    word: str = Field(sa_column=Column(String(64), nullable=False))
