"""A Redis outage under chat load, through the real server stack: one uvicorn server in this
event loop (PostgreSQL + Redis adapters), Redis reached through a `TcpProxy` the scenario
cuts and restores (the shared Redis server itself is never stopped). A chat pair: one side
sends at a steady rate over its socket, the other listens.

Phases: `before` seconds normal; the proxy is cut for `outage` seconds while sending goes
on, then (still cut) the sender waits for the acks of everything it sent; the proxy is
restored; `after` seconds more; then everything sent is acked and the listener has had its
`resync`. Used by `tests/api/chat/test_redis_outage.py` (a short outage) and by
`python -m bench redis_outage` (30 s)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.redis.broker import RedisBroker
from hypehere.application.common.after_commit import after_commit_stats
from hypehere.application.common.broker import Broker
from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, registration
from tests.tcp_proxy import TcpProxy

SAFETY_SECONDS = 30.0  # a bound against hangs, never a figure under test


@dataclass
class OutageReport:
    rate: float
    outage_seconds: float
    hang: bool = False
    sent: int = 0
    sent_during_outage: int = 0
    acked: int = 0
    acked_while_cut: int = 0  # acks of messages sent during the outage, received before restore
    stored: int = 0
    acked_not_stored: list[str] = field(default_factory=list)
    live: int = 0  # messages the listener received as live frames
    resyncs: list[str | None] = field(default_factory=list)  # listener's last_message_id
    sender_resyncs: int = 0
    missed: list[str] = field(default_factory=list)  # neither live nor after a resync
    fetched_after_resync: int = 0
    live_after_restore: bool = False
    max_after_commit_queued: int = 0
    max_pending_publishes: int = 0
    max_pending_waiters: int = 0
    dropped_publishes: int = 0
    ack_ms_max_outage: float = 0.0
    ack_ms_max_normal: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"rate {self.rate:g} msg/s, outage {self.outage_seconds:g} s "
            f"({'Redis hung' if self.hang else 'Redis gone'})",
            f"sent {self.sent} (during the outage {self.sent_during_outage}), "
            f"acked {self.acked}, acked while Redis was cut {self.acked_while_cut}",
            f"stored {self.stored}, acked but not stored {len(self.acked_not_stored)}",
            f"listener: live {self.live}, resync frames {len(self.resyncs)}, fetched with "
            f"?after= {self.fetched_after_resync}, missed {len(self.missed)}; sender resyncs "
            f"{self.sender_resyncs}; live again after restore: {self.live_after_restore}",
            f"max queued: after-commit actions {self.max_after_commit_queued}, broker "
            f"publishes {self.max_pending_publishes}, subscribe waiters "
            f"{self.max_pending_waiters}; publishes dropped {self.dropped_publishes}",
            f"slowest ack: normal {self.ack_ms_max_normal:.0f} ms, during the outage "
            f"{self.ack_ms_max_outage:.0f} ms",
        ]


async def _server(settings: Settings) -> tuple[uvicorn.Server, asyncio.Task[None], int, Broker]:
    from hypehere.bootstrap.app import create_app
    from hypehere.bootstrap.container import make_container

    container = make_container(settings)
    app = create_app(settings, container)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + SAFETY_SECONDS
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, port, await container.get(Broker)


async def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + SAFETY_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within the safety bound: {what}")
        await asyncio.sleep(0.02)


async def run_outage(
    settings: Settings,
    *,
    rate: float = 50.0,
    before: float = 1.0,
    outage: float = 3.0,
    after: float = 2.0,
    hang: bool = False,
) -> OutageReport:
    """`hang`: Redis stops answering but keeps its connections (a hung server, a dead
    route) instead of going away (connections reset and refused)."""
    assert settings.redis_url is not None and settings.database_url
    target = urlsplit(settings.redis_url)
    report = OutageReport(rate=rate, outage_seconds=outage, hang=hang)
    async with TcpProxy(target.hostname or "127.0.0.1", target.port or 6379) as proxy:
        via_proxy = f"redis://127.0.0.1:{proxy.port}{target.path}"
        server, serving, port, broker = await _server(
            settings.model_copy(update={"redis_url": via_proxy})
        )
        assert isinstance(broker, RedisBroker)
        try:
            await _scenario(port, proxy, broker, report, rate, before, outage, after, hang)
        finally:
            server.should_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(serving, SAFETY_SECONDS)
    await _check_storage(settings.database_url, report)
    return report


async def _scenario(
    port: int,
    proxy: TcpProxy,
    broker: RedisBroker,
    report: OutageReport,
    rate: float,
    before: float,
    outage: float,
    after: float,
    hang: bool,
) -> None:
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=SAFETY_SECONDS) as http:
        tokens = []
        users = []
        for _ in range(2):
            response = await http.post(f"{API}/auth/register", json=registration())
            assert response.status_code == 201, response.text
            users.append(response.json()["user"])
            tokens.append(response.json()["access_token"])
        response = await http.post(
            f"{API}/conversations", json={"user_id": users[1]["id"]}, headers=auth(tokens[0])
        )
        assert response.status_code in (200, 201), response.text
        conversation_id = response.json()["id"]

        path = f"ws://127.0.0.1:{port}/ws/chat/{conversation_id}?token="
        sender = await websockets.connect(path + tokens[0], max_queue=None, ping_interval=None)
        listener = await websockets.connect(path + tokens[1], max_queue=None, ping_interval=None)
        order: list[str] = []  # client ids in send order
        sent_at: dict[str, float] = {}
        in_outage: set[str] = set()
        acks: dict[str, str] = {}  # client id -> message id
        live: set[str] = set()  # message ids
        restored_at: list[float] = []

        async def read_acks() -> None:
            async for raw in sender:
                frame = json.loads(raw)
                if frame["type"] == "ack":
                    client_id = frame["client_id"]
                    acks[client_id] = frame["message"]["id"]
                    ms = (time.monotonic() - sent_at[client_id]) * 1000
                    if client_id in in_outage:
                        report.ack_ms_max_outage = max(report.ack_ms_max_outage, ms)
                        if proxy.is_cut:
                            report.acked_while_cut += 1
                    else:
                        report.ack_ms_max_normal = max(report.ack_ms_max_normal, ms)
                elif frame["type"] == "resync":
                    report.sender_resyncs += 1

        async def listen() -> None:
            async for raw in listener:
                frame = json.loads(raw)
                if frame["type"] == "message":
                    live.add(frame["message"]["id"])
                elif frame["type"] == "resync":
                    report.resyncs.append(frame["last_message_id"])

        async def sample() -> None:
            while True:
                report.max_after_commit_queued = max(
                    report.max_after_commit_queued, after_commit_stats().queued
                )
                report.max_pending_publishes = max(
                    report.max_pending_publishes, broker.pending_publishes
                )
                report.max_pending_waiters = max(report.max_pending_waiters, broker.pending_waiters)
                await asyncio.sleep(0.02)

        async def send_for(seconds: float, tag: str) -> None:
            start = time.monotonic()
            n = 0
            while time.monotonic() - start < seconds:
                client_id = f"{tag}-{n}"
                order.append(client_id)
                sent_at[client_id] = time.monotonic()
                if tag == "outage":
                    in_outage.add(client_id)
                await sender.send(
                    json.dumps({"type": "message", "content": client_id, "client_id": client_id})
                )
                n += 1
                # steady rate, whatever the acks do
                await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))

        tasks = [asyncio.create_task(t) for t in (read_acks(), listen(), sample())]
        try:
            await send_for(before, "before")
            await (proxy.hang() if hang else proxy.cut())
            await send_for(outage, "outage")
            report.sent_during_outage = len(in_outage)
            # Still cut: the acks of everything sent must arrive without Redis.
            with contextlib.suppress(AssertionError):
                await _until(lambda: all(c in acks for c in in_outage), "acks while cut")
            await proxy.restore()
            restored_at.append(time.monotonic())
            await send_for(after, "after")
            await _until(lambda: all(c in acks for c in order), "every ack")
            await _until(lambda: bool(report.resyncs), "a resync frame on the listener")
            # Live delivery works again by itself: the last messages arrive as frames.
            probe = f"probe-{len(order)}"
            order.append(probe)
            sent_at[probe] = time.monotonic()
            await sender.send(json.dumps({"type": "message", "content": probe, "client_id": probe}))
            await _until(lambda: probe in acks and acks[probe] in live, "live after restore")
            report.live_after_restore = True
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await sender.close()
            await listener.close()

        report.sent = len(order)
        report.acked = len(acks)
        report.live = len(live & set(acks.values()))
        report.dropped_publishes = broker.dropped
        # What the listener's client does on `resync`: GET ...?after=<last_message_id>.
        fetched: set[str] = set()
        for last_id in report.resyncs:
            cursor = last_id
            while True:
                params = {"after": cursor} if cursor else {}
                response = await http.get(
                    f"{API}/conversations/{conversation_id}/messages",
                    params=params,
                    headers=auth(tokens[1]),
                )
                assert response.status_code == 200, response.text
                items = response.json()["items"]
                if not items or cursor is None:
                    fetched.update(item["id"] for item in items)
                    break
                fetched.update(item["id"] for item in items)
                cursor = items[-1]["id"]
        report.fetched_after_resync = len(fetched - live)
        report.missed = [c for c in order if acks.get(c) not in live | fetched]
        report.acked_not_stored = list(acks)  # checked against the database next


async def _check_storage(database_url: str, report: OutageReport) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT client_id FROM messages"))
            stored = {row[0] for row in rows}
    finally:
        await engine.dispose()
    report.stored = len(stored)
    report.acked_not_stored = [c for c in report.acked_not_stored if c not in stored]
