"""Async alembic environment: one linear history that runs on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import hypehere.adapters.sql.all_tables  # noqa: F401  (registers every table on the metadata)
from hypehere.adapters.sql.metadata import metadata
from hypehere.adapters.sql.schema_filter import include_object
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime

config = context.config
target_metadata = metadata


def _url() -> str:
    return str(config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url"))


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render our portable column types by name so revisions stay readable."""
    if type_ == "type" and isinstance(obj, (UtcDateTime, JsonDocument)):
        autogen_context.imports.add("import hypehere.adapters.sql.types")
        return f"hypehere.adapters.sql.types.{type(obj).__name__}()"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_schemas=False,
        include_object=include_object,
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_async_engine(_url(), poolclass=NullPool, hide_parameters=True)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
    await engine.dispose()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(run_migrations_online())
        return
    raise RuntimeError("call alembic from a thread without a running event loop")


if context.is_offline_mode():
    run_migrations_offline()
else:
    _run_online()
