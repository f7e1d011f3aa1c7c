"""Read handles: what a module publishes in its `queries.py` instead of its tables."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, MetaData, Table

# Not the application's metadata: alembic, create_all and the tests' TRUNCATE never see it.
_READ_HANDLES = MetaData()


def read_handle(source: Table, names: Sequence[str] | None = None) -> Table:
    """A read-only `Table` named like `source` with (some of) its typed columns, in table
    order. (A `TableClause` would do, but comparing its columns with a real table's
    `Column` swaps the operands in the SQL text: `posts.author_id = users.id`.)"""
    wanted = set(names) if names is not None else None
    return Table(
        source.name,
        _READ_HANDLES,
        *(Column(c.name, c.type) for c in source.columns if wanted is None or c.name in wanted),
    )
