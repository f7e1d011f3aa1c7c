"""`HYPEHERE_FORWARDED_ALLOW_IPS`: the proxies whose `X-Forwarded-For` uvicorn trusts, so
that behind a reverse proxy each client has its own per-IP rate-limit budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from hypehere.bootstrap import app as app_module
from hypehere.bootstrap.cli import SettingsRuntime
from hypehere.bootstrap.serving import uvicorn_options
from hypehere.bootstrap.settings import Settings
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration

PROXY = "10.20.0.5"


class RecordingServer:
    configs: list[uvicorn.Config] = []  # shared on purpose: one per test

    def __init__(self, config: uvicorn.Config) -> None:
        RecordingServer.configs.append(config)

    def run(self, sockets: Any = None) -> None:
        return None


@pytest.mark.parametrize(
    ("configured", "expected"),
    [(None, "127.0.0.1,::1"), ("10.20.0.0/16,192.168.1.7", "10.20.0.0/16,192.168.1.7")],
)
def test_the_setting_reaches_uvicorn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: str | None, expected: str
) -> None:
    monkeypatch.setattr(uvicorn, "Server", RecordingServer)
    RecordingServer.configs.clear()
    overrides = {} if configured is None else {"forwarded_allow_ips": configured}
    runtime = SettingsRuntime(make_settings(tmp_path, **overrides))
    assert runtime.serve("127.0.0.1", 8000, 1, worker_process=False) == 0
    [config] = RecordingServer.configs
    assert config.proxy_headers is True
    assert config.forwarded_allow_ips == expected


def _behind_uvicorn(app: Any, settings: Settings) -> Any:
    """The ASGI app as uvicorn serves it (its proxy-headers middleware included)."""
    options = uvicorn_options("127.0.0.1", 8000, settings)
    options.update(app=app, factory=False)
    config = uvicorn.Config(**options)
    config.load()
    return config.loaded_app


async def _statuses(settings: Settings, forwarded_for: list[str]) -> list[int]:
    app = app_module.create_app(settings)
    transport = httpx.ASGITransport(app=_behind_uvicorn(app, settings), client=(PROXY, 40000))
    statuses = []
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
    ):
        for client in forwarded_for:
            response = await http.get(
                "/api/v1/rooms/01900000-0000-7000-8000-000000000000",
                headers={"X-Forwarded-For": client},
            )
            statuses.append(response.status_code)
    return statuses


async def test_a_trusted_proxy_gives_each_forwarded_client_its_own_budget(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = make_settings(
        tmp_path,
        database_url=sqlite_url,
        rate_limit_enabled=True,
        rate_limit_anon_per_hour=2,
        forwarded_allow_ips="10.20.0.0/16",
    )
    clients = ["203.0.113.1", "203.0.113.1", "198.51.100.2", "198.51.100.2", "203.0.113.1"]
    assert await _statuses(settings, clients) == [401, 401, 401, 401, 429]


async def test_an_untrusted_proxy_shares_one_budget(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(
        tmp_path, database_url=sqlite_url, rate_limit_enabled=True, rate_limit_anon_per_hour=2
    )
    clients = ["203.0.113.1", "198.51.100.2", "192.0.2.3"]
    assert await _statuses(settings, clients) == [401, 401, 429]
