"""search-sync: drain the outbox once (the worker also runs the dispatcher continuously)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from dishka import AsyncContainer

from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher

log = structlog.get_logger(__name__)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    dispatcher = await container.get(OutboxDispatcher)
    delivered = await dispatcher.drain()
    log.info("outbox_drained", events=delivered)
