"""A database error never carries the statement's bound values (password hashes, emails,
message text): the engines are created with `hide_parameters=True`."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hypehere.adapters.sql.engine import create_engine

pytestmark = pytest.mark.integration

SECRET = "argon2id$secret-hash-never-logged"


@pytest.mark.parametrize("which", ["sqlite", "postgres"])
async def test_a_failing_statement_does_not_show_its_parameters(
    which: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("postgres_url" if which == "postgres" else "sqlite_url")
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as caught:
                await connection.execute(
                    text("INSERT INTO no_such_table_here (secret) VALUES (:secret)"),
                    {"secret": SECRET},
                )
        assert SECRET not in str(caught.value)
        assert "hidden due to hide_parameters" in str(caught.value)
    finally:
        await engine.dispose()
