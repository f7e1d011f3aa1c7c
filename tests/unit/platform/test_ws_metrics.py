"""The WebSocket gauge follows the connection registry: one up per socket added, one down
per socket removed, never twice for the same socket; a broker reconnect is counted."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from prometheus_client import REGISTRY

from hypehere.entrypoints.ws.gateway import ConnectionRegistry


def _open() -> float:
    return REGISTRY.get_sample_value("hypehere_websocket_connections") or 0.0


def _socket(conn_id: str) -> Any:
    return cast(Any, SimpleNamespace(id=conn_id, user_id="u", channel=None, closing=False))


def test_the_gauge_counts_open_sockets_once_each() -> None:
    registry = ConnectionRegistry()
    before = _open()
    first, second = _socket("a"), _socket("b")
    registry.add(first)
    registry.add(second)
    registry.add(first)
    assert _open() == before + 2
    registry.remove(first)
    registry.remove(first)
    assert _open() == before + 1
    registry.remove(second)
    assert _open() == before


def test_a_broker_reconnect_is_counted() -> None:
    before = REGISTRY.get_sample_value("hypehere_broker_reconnects_total") or 0.0
    ConnectionRegistry().resync_all()  # no sockets: nothing to resync, still a reconnect
    assert REGISTRY.get_sample_value("hypehere_broker_reconnects_total") == before + 1
