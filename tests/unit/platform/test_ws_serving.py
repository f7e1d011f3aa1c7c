"""WebSocket liveness is uvicorn's protocol ping/pong, configured from settings, and the
connection rules are documented in the OpenAPI description."""

from __future__ import annotations

from pathlib import Path

import pytest

from hypehere.bootstrap.serving import uvicorn_options
from tests.conftest import test_settings

pytestmark = pytest.mark.unit


def test_uvicorn_pings_websockets_as_configured(tmp_path: Path) -> None:
    settings = test_settings(tmp_path, ws_ping_interval_seconds=7.5, ws_ping_timeout_seconds=3.0)
    options = uvicorn_options("127.0.0.1", 8000, settings)
    assert options["ws_ping_interval"] == 7.5
    assert options["ws_ping_timeout"] == 3.0


def test_the_openapi_description_documents_the_websocket_heartbeat(tmp_path: Path) -> None:
    from hypehere.bootstrap.app import create_app

    app = create_app(test_settings(tmp_path))
    description = app.openapi_schema.info.description or ""
    assert "protocol* pings" in description
    assert '{"type": "auth", "token"' in description
    assert "4429" in description
