"""search_terms: the word list typo lookups start from

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 03:45:00

`search_terms` is in the models; on top of it (not in the models, see
`hypehere.adapters.sql.schema_filter`):
- SQLite: FTS5 `search_terms_fts` (tokenize=trigram, external content = search_terms,
  rowid = id) with insert/delete triggers (words are never updated);
- PostgreSQL: GIN index `ix_search_terms_word_trgm` on `word gin_trgm_ops` (pg_trgm exists
  since 0006).
Existing documents' words are backfilled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op

import hypehere.adapters.sql.types  # noqa: F401

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_terms_fts USING fts5("
    "word, content='search_terms', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_terms_fts_ai AFTER INSERT ON search_terms BEGIN "
    "INSERT INTO search_terms_fts(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_terms_fts_ad AFTER DELETE ON search_terms BEGIN "
    "INSERT INTO search_terms_fts(search_terms_fts, rowid, word) "
    "VALUES ('delete', old.id, old.word); END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_terms_fts_ad",
    "DROP TRIGGER IF EXISTS search_terms_fts_ai",
    "DROP TABLE IF EXISTS search_terms_fts",
]
_POSTGRES_UP = [
    "CREATE INDEX ix_search_terms_word_trgm ON search_terms USING gin (word gin_trgm_ops)",
]
_POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_search_terms_word_trgm"]
_WORD = re.compile(r"\w+", re.UNICODE)


def _backfill() -> None:
    bind = op.get_bind()
    words: set[str] = set()
    for (body,) in bind.execute(sa.text("SELECT body FROM search_documents")):
        words.update(w for w in _WORD.findall(body) if 4 <= len(w) <= 64)
    table = sa.table("search_terms", sa.column("word", sa.String))
    ordered = sorted(words)
    for start in range(0, len(ordered), 1000):
        op.bulk_insert(table, [{"word": w} for w in ordered[start : start + 1000]])


def upgrade() -> None:
    op.create_table(
        "search_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_terms")),
        sa.UniqueConstraint("word", name=op.f("uq_search_terms_word")),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_UP, "postgresql": _POSTGRES_UP}.get(dialect, []):
        op.execute(statement)
    _backfill()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_DOWN, "postgresql": _POSTGRES_DOWN}.get(dialect, []):
        op.execute(statement)
    op.drop_table("search_terms")
