"""Log levels are applied before any processing: a disabled call renders nothing (per-message
debug lines cost nothing in production) and an enabled one renders as configured."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from hypehere.bootstrap import logging as app_logging
from hypehere.bootstrap.settings import LogFormat

pytestmark = pytest.mark.unit


@pytest.fixture
def restore_logging() -> Iterator[None]:
    previous = app_logging._configured
    yield
    app_logging._configured = None
    if previous is not None:
        app_logging.configure_logging(*previous)


def test_disabled_levels_are_dropped_before_processing(
    restore_logging: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stamped: list[str] = []
    original = structlog.processors.TimeStamper.__call__

    def counting(self: Any, logger: Any, name: str, event_dict: Any) -> Any:
        stamped.append(event_dict["event"])
        return original(self, logger, name, event_dict)

    monkeypatch.setattr(structlog.processors.TimeStamper, "__call__", counting)
    app_logging._configured = None
    app_logging.configure_logging(LogFormat.JSON, "WARNING")
    logger = structlog.get_logger("hypehere.test_levels")

    logger.info("quiet", n=0)
    logger.debug("quieter", n=0)
    logger.warning("loud", n=1)

    assert stamped == ["loud"]  # the disabled calls never reached the processors
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert [json.loads(line)["event"] for line in lines] == ["loud"]
    assert json.loads(lines[0])["n"] == 1
