"""search: the SQL full-text index (SQLite FTS5 trigram; PostgreSQL tsvector + pg_trgm)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 03:40:00

`search_documents` is in the models. The full-text objects on top of it depend on the
dialect and are not (see `hypehere.adapters.sql.schema_filter`):
- SQLite: FTS5 virtual table `search_documents_fts` (tokenize=trigram, external content =
  search_documents, rowid = seq) and three triggers keeping it in step. A later batch
  migration that recreates `search_documents` drops those triggers: recreate them.
- PostgreSQL: extension pg_trgm; GIN indexes on `to_tsvector('simple', body)` and on
  `body gin_trgm_ops`. The extension is left in place on downgrade (others may use it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_documents_fts USING fts5("
    "body, content='search_documents', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER search_documents_fts_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(rowid, body) VALUES (new.seq, new.body); END",
    "CREATE TRIGGER search_documents_fts_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(search_documents_fts, rowid, body) "
    "VALUES ('delete', old.seq, old.body); END",
    "CREATE TRIGGER search_documents_fts_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(search_documents_fts, rowid, body) "
    "VALUES ('delete', old.seq, old.body); "
    "INSERT INTO search_documents_fts(rowid, body) VALUES (new.seq, new.body); END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_documents_fts_au",
    "DROP TRIGGER IF EXISTS search_documents_fts_ad",
    "DROP TRIGGER IF EXISTS search_documents_fts_ai",
    "DROP TABLE IF EXISTS search_documents_fts",
]
_POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_documents_body_tsv ON search_documents "
    "USING gin (to_tsvector('simple', body))",
    "CREATE INDEX ix_search_documents_body_trgm ON search_documents USING gin (body gin_trgm_ops)",
]
_POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_search_documents_body_trgm",
    "DROP INDEX IF EXISTS ix_search_documents_body_tsv",
]


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("doc_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "doc_id", name=op.f("uq_search_documents_kind_doc_id")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_documents_kind_created_at", ["kind", "created_at"], unique=False
        )
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": _SQLITE_UP, "postgresql": _POSTGRES_UP}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": _SQLITE_DOWN, "postgresql": _POSTGRES_DOWN}.get(dialect, [])
    for statement in statements:
        op.execute(statement)
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_kind_created_at")
    op.drop_table("search_documents")
