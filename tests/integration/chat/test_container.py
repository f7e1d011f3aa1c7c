"""Every chat use case and the WebSocket gateway's pieces resolve from the real container,
on the embedded default and with Redis configured."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import hypehere.application.chat as chat_app
from hypehere.adapters.memory.presence import InMemoryPresence
from hypehere.adapters.redis.presence import RedisPresence
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.bootstrap.container import make_container
from hypehere.entrypoints.ws.gateway import ConnectionRegistry, GatewayConfig
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration


def use_case_classes() -> list[type]:
    found: list[type] = []
    for info in pkgutil.iter_modules(chat_app.__path__):
        module = importlib.import_module(f"{chat_app.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and callable(getattr(obj, "execute", None)):
                found.append(obj)
    return found


@pytest.mark.parametrize("with_redis", [False, True])
async def test_every_chat_use_case_and_gateway_piece_resolves(
    tmp_path: Path, sqlite_url: str, request: pytest.FixtureRequest, with_redis: bool
) -> None:
    classes = use_case_classes()
    assert len(classes) >= 20
    overrides: dict[str, object] = {"database_url": sqlite_url, "ws_send_queue_size": 7}
    if with_redis:
        overrides["redis_url"] = request.getfixturevalue("redis_url")
    container = make_container(make_settings(tmp_path, **overrides), web=False)
    try:
        async with container() as scope:
            for klass in classes:
                assert isinstance(await scope.get(klass), klass)
        config = await container.get(GatewayConfig)
        assert config.send_queue_size == 7
        assert isinstance(await container.get(ConnectionRegistry), ConnectionRegistry)
        assert isinstance(await container.get(RealtimePublisher), RealtimePublisher)
        presence = await container.get(Presence)
        assert isinstance(presence, RedisPresence if with_redis else InMemoryPresence)
    finally:
        await container.close()
