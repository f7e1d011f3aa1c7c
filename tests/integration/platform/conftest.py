"""Fixtures shared by the platform integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine


@pytest.fixture
async def engine_factory(postgres_url: str) -> AsyncIterator[list[AsyncEngine]]:
    """Engines a test made (append them); disposed when it ends."""
    engines: list[AsyncEngine] = []
    yield engines
    for engine in engines:
        await engine.dispose()
