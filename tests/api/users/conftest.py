"""A client whose app runs on a clock the test controls (suspension expiry, grace periods)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from dishka import Provider, Scope, provide

from hypehere.adapters.memory.clock import FixedClock
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock


class _ClockOverride(Provider):
    def __init__(self, clock: FixedClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP, override=True)
    def clock(self) -> Clock:
        return self._clock


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
async def clocked_client(backend_settings: Settings, clock: FixedClock) -> AsyncIterator[Any]:
    """Like `client`, with `clock` (a FixedClock starting now) as the app's Clock; the app's
    dishka container is at `clocked_client.app.state.dishka_container`."""
    from litestar.testing import AsyncTestClient

    from hypehere.bootstrap.app import create_app
    from hypehere.bootstrap.container import make_container

    container = make_container(backend_settings, _ClockOverride(clock))
    app = create_app(backend_settings, container=container)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
def run_use_case(backend_settings: Settings, clock: FixedClock) -> Any:
    """`await run_use_case(UseCaseType, *args)`: resolve a use case from a fresh container
    (same settings and clock as `clocked_client`, on the test's event loop) and execute it."""
    from hypehere.bootstrap.container import make_container

    async def run(use_case: type[Any], *args: Any) -> Any:
        container = make_container(backend_settings, _ClockOverride(clock), web=False)
        try:
            async with container() as request:
                return await (await request.get(use_case)).execute(*args)
        finally:
            await container.close()

    return run
