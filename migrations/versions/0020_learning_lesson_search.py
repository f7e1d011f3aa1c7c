"""search: lessons in the SQL full-text index

A lesson is indexed once per language it is written in, under the document id
`<lesson id>_<language>` (up to 45 characters): `search_documents.doc_id` grows to 64
characters. On SQLite that recreates the table (batch mode), which drops the FTS triggers
of 0006: they are created again (the FTS rows keep pointing at the same `seq`). Then the
lessons loaded by 0013 are indexed, with the same statements the SQL search adapter runs.
(A Meilisearch deployment indexes them with `hypehere jobs run search-reindex`; later
changes reach either index through `learning.lessons_changed`.)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hypehere.adapters.search.sql import upsert_statements
from hypehere.adapters.sql.learning.queries import public_expressions, public_lessons
from hypehere.domain.search.model import SearchDocument, lesson_documents

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _lesson_documents(connection: sa.Connection) -> list[SearchDocument]:
    texts: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = {}
    for row in connection.execute(
        sa.select(
            public_expressions.c.lesson_id,
            public_expressions.c.text,
            public_expressions.c.romanization,
        ).order_by(public_expressions.c.lesson_id, public_expressions.c.position)
    ):
        texts.setdefault(row.lesson_id, []).append((dict(row.text), dict(row.romanization)))
    documents: list[SearchDocument] = []
    for row in connection.execute(
        sa.select(public_lessons.c.id, public_lessons.c.title, public_lessons.c.languages)
    ):
        documents.extend(
            lesson_documents(row.id, list(row.languages), dict(row.title), texts.get(row.id, []))
        )
    return documents


# As created by 0006 (a table recreated in batch mode loses its triggers).
_SQLITE_TRIGGERS = [
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


def _doc_id_length(length: int, previous: int) -> None:
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.alter_column(
            "doc_id",
            type_=sa.String(length=length),
            existing_type=sa.String(length=previous),
            existing_nullable=False,
        )
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def upgrade() -> None:
    connection = op.get_bind()
    _doc_id_length(64, 36)
    for statement, rows in upsert_statements(
        connection.dialect.name, _lesson_documents(connection)
    ):
        connection.execute(statement, rows)


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM search_documents WHERE kind = 'lessons'"))
    _doc_id_length(36, 64)
