"""The fixture curriculum, loaded after the backend's tables were emptied."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.sql.learning.curriculum import load_curriculum_into
from hypehere.adapters.yaml.curriculum import load_curriculum
from hypehere.bootstrap.settings import Settings
from hypehere.domain.learning.model import content_id
from tests.fixtures.curriculum import FIXTURE_CURRICULUM

STATION = content_id("category", "fixture-station")
TICKETS = content_id("lesson", "fixture-station-tickets")


@pytest.fixture
async def curriculum(backend_settings: Settings) -> None:
    engine = create_async_engine(backend_settings.effective_database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(load_curriculum_into, load_curriculum(FIXTURE_CURRICULUM))
    finally:
        await engine.dispose()
