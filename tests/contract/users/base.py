"""Per-adapter fixtures: subclass a contract once per backend with these mixins."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.contract.users.world import UsersWorld, memory_world, sql_world


class OnMemory:
    @pytest.fixture
    async def world(self) -> AsyncIterator[UsersWorld]:
        yield memory_world()


class OnSqlite:
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[UsersWorld]:
        async with sql_world(sqlite_url) as world:
            yield world


class OnPostgres:
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[UsersWorld]:
        async with sql_world(postgres_url) as world:
            yield world
