"""Chat over WebSockets through a real `hypehere serve` (use PostgreSQL + Redis):

- latency: N pairs of clients in N conversations exchange messages at a fixed total rate;
  delivery latency = send on one socket -> `message` frame on the other socket;
- throughput: the same at increasing rates; the highest rate that is still sustained (every
  message delivered, the rate achieved, p99 under a bound) is reported;
- idle: K concurrent idle sockets; the server's RSS before and with them open.

    HYPEHERE_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench_chat \\
    HYPEHERE_REDIS_URL=redis://127.0.0.1:6379/8 \\
    .venv/bin/python -m bench chat --pairs 50 --rate 500 --seconds 20 \\
        --ramp 300,400,500,500,500 --ramp-seconds 10 --idle 0 --workers 2

(the command of bench/RESULTS.md; `--idle 5000 --workers 1` for the idle figure). The
PostgreSQL database is created if missing; after the warm-up it is vacuumed and enough WAL
segment files are made ready (bench/wal.py), so runs start from the same state. The
open-file limit is raised to the hard limit first (the server inherits it).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import resource
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench.common import (
    CpuMeter,
    LoopLag,
    busy_jiffies,
    machine,
    process_tree,
    serve,
    server_pid,
)
from bench.pause_probe import PauseProbe
from bench.wal import WalMeter, is_postgres, recycle_ahead, vacuum_analyze

API = "/api/v1"


@dataclass
class Pair:
    conversation_id: str
    tokens: tuple[str, str]


@dataclass
class Stats:
    rate: float
    seconds: float
    sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    duplicates: int = 0
    ack_ms: list[float] = field(default_factory=list)  # send -> the sender's own `ack`
    cpu: str = ""
    generator_lag: str = ""
    pauses: str = ""
    wal: str = ""  # PostgreSQL's WAL during the stage (bench/wal.py)
    # The generator's own CPU per message: its work does not depend on the server, so this
    # tells how fast the box ran (on a shared VM it moved by a third within the hour).
    generator_us: float = 0.0
    began: float = 0.0  # wall clock when sending began (to match the server's log times)
    # (seconds into the run when the message was sent, latency ms), for `slowest()`
    timeline: list[tuple[float, float]] = field(default_factory=list)

    def slowest(self, n: int = 6) -> str:
        """When the slowest messages were sent, and how many missed 20 ms: a burst at one
        moment points at a stall (a checkpoint, garbage collection), a spread at queueing."""
        worst = sorted(self.timeline, key=lambda item: -item[1])[:n]
        late = sum(1 for _, ms in self.timeline if ms >= 20)
        spots = ", ".join(f"{ms:.0f} ms at {at:.2f} s" for at, ms in sorted(worst))
        acks = sorted(self.ack_ms) or [float("nan")]
        ack = f"ack p50 {acks[len(acks) // 2]:.2f} ms, p99 {acks[int(len(acks) * 0.99)]:.2f} ms"
        began = time.strftime("%H:%M:%S", time.gmtime(self.began)) + f"{self.began % 1:.2f}"[1:]
        return f"{ack}; {late} over 20 ms; slowest {spots} (from {began} UTC)"

    @property
    def delivered(self) -> int:
        return len(self.latencies_ms)

    def pct(self, q: float) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        cuts = statistics.quantiles(self.latencies_ms, n=1000, method="inclusive")
        return cuts[min(998, max(0, round(q * 1000) - 1))]

    @property
    def achieved_rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"rate={self.rate:7.0f}/s sent={self.sent:6d} ({self.achieved_rate:7.1f}/s) "
            f"delivered={self.delivered:6d} lost={self.sent - self.delivered:4d} "
            f"dup={self.duplicates} p50={self.pct(0.5):8.2f} ms p99={self.pct(0.99):8.2f} ms"
        )


def raise_nofile() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_mb(pid: int) -> float:
    """RSS of the server: the `serve` process and its uvicorn worker processes (with
    `--workers N` the parent only supervises; the sockets live in the workers)."""
    total_kib = 0
    for proc in process_tree(pid):
        for line in Path(f"/proc/{proc}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024 if total_kib else float("nan")


def load_average() -> float:
    return os.getloadavg()[0]


async def settle(limit_seconds: float) -> None:
    """Wait (bounded) until the machine is quiet after the sign-ups (password hashing) and
    the warm-up: under 20% CPU busy over one second."""
    ticks = os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        before = busy_jiffies()
        await asyncio.sleep(1.0)
        if (busy_jiffies() - before) / ticks < 0.2:
            return


async def outbox_drain(database_url: str | None, limit_seconds: float = 60) -> str:
    """The outbox backlog (events not yet delivered by the worker) right after a run, and how
    long it takes to drain: whether notification creation keeps pace with the messages."""
    if database_url is None or not is_postgres(database_url):
        return ""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url, pool_size=1)
    query = text(
        "SELECT count(*) FROM outbox_events WHERE delivered_at IS NULL AND dead_at IS NULL"
    )
    try:
        started = time.perf_counter()
        async with engine.connect() as connection:
            pending = first = int((await connection.execute(query)).scalar_one())
            while pending and time.perf_counter() - started < limit_seconds:
                await asyncio.sleep(0.25)
                pending = int((await connection.execute(query)).scalar_one())
                await connection.commit()
        drained = time.perf_counter() - started
    finally:
        await engine.dispose()
    if pending:
        return f"outbox backlog {first} -> {pending} after {drained:.0f} s (NOT drained)"
    return f"outbox backlog {first}, drained in {drained:.1f} s"


async def setup(base: str, pairs: int) -> list[Pair]:
    counter = itertools.count()
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        semaphore = asyncio.Semaphore(16)

        async def register() -> tuple[str, str]:
            async with semaphore:
                body = {
                    "email": f"bench{next(counter)}-{uuid.uuid4().hex[:8]}@example.com",
                    "password": "bench password 123",
                    "nickname": "bench",
                    "native_language": "ko",
                    "target_languages": [{"language": "en", "level": "B1"}],
                }
                response = await http.post(f"{API}/auth/register", json=body)
                response.raise_for_status()
                data = response.json()
                return data["user"]["id"], data["access_token"]

        users = await asyncio.gather(*(register() for _ in range(2 * pairs)))

        async def pair(a: tuple[str, str], b: tuple[str, str]) -> Pair:
            async with semaphore:
                response = await http.post(
                    f"{API}/conversations",
                    json={"user_id": b[0]},
                    headers={"Authorization": f"Bearer {a[1]}"},
                )
                response.raise_for_status()
                return Pair(response.json()["id"], (a[1], b[1]))

        return await asyncio.gather(*(pair(users[2 * i], users[2 * i + 1]) for i in range(pairs)))


async def connect(ws_base: str, conversation_id: str, token: str) -> Any:
    return await websockets.connect(
        f"{ws_base}/ws/chat/{conversation_id}?token={token}",
        max_queue=None,
        ping_interval=None,
        open_timeout=60,
    )


async def exchange(
    ws_base: str,
    pairs: list[Pair],
    rate: float,
    seconds: float,
    port: int | None = None,
    settle_seconds: float = 1.0,
) -> Stats:
    """Both sides of every pair send, round-robin over pairs and directions, at `rate`.
    With `port`, where the machine's cores went while sending (`Stats.cpu`) and how late
    this generator's own loop woke up (`Stats.generator_lag`)."""
    stats = Stats(rate=rate, seconds=seconds)
    sent_at: dict[str, float] = {}
    received: set[str] = set()
    sockets: list[tuple[Any, Any]] = []
    for pair in pairs:
        a = await connect(ws_base, pair.conversation_id, pair.tokens[0])
        b = await connect(ws_base, pair.conversation_id, pair.tokens[1])
        sockets.append((a, b))
    # The server finishes opening them (presence, first frames) before the clock starts:
    # the figures are for messages on open sockets, not for connecting.
    await asyncio.sleep(settle_seconds)

    async def read(ws: Any) -> None:
        try:
            async for raw in ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                if frame.get("type") == "ping":
                    await ws.send('{"type":"pong"}')
                elif frame.get("type") == "ack":
                    acked_at = sent_at.get(frame.get("client_id") or "")
                    if acked_at is not None:
                        stats.ack_ms.append((now - acked_at) * 1000)
                elif frame.get("type") == "message":
                    client_id = frame["message"]["client_id"]
                    if client_id in received:
                        stats.duplicates += 1
                    elif client_id in sent_at:
                        received.add(client_id)
                        latency_ms = (now - sent_at[client_id]) * 1000
                        stats.latencies_ms.append(latency_ms)
                        stats.timeline.append((sent_at[client_id] - start, latency_ms))
        except websockets.ConnectionClosed:
            pass

    readers = [asyncio.create_task(read(ws)) for pair in sockets for ws in pair]
    total = int(rate * seconds)
    run_id = uuid.uuid4().hex[:6]
    meter = CpuMeter([port]) if port else None
    lag = LoopLag()
    # The generator's own garbage collector stays out of the window (its full collections
    # over the run's bookkeeping would show up as the server's latency); it runs after it.
    probe = PauseProbe()
    if meter:
        await probe.start(seconds)
    gc.collect()
    gc.disable()
    if meter:
        meter.start()
    start = time.perf_counter()
    stats.began = time.time()
    watching = asyncio.create_task(lag.watch(start + seconds)) if meter else None
    for index in range(total):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        a, b = sockets[index % len(sockets)]
        ws = a if (index // len(sockets)) % 2 == 0 else b
        client_id = f"{run_id}-{index}"
        sent_at[client_id] = time.perf_counter()
        await ws.send(json.dumps({"type": "message", "content": "x" * 40, "client_id": client_id}))
        stats.sent += 1
    stats.seconds = time.perf_counter() - start
    if meter and watching:
        meter.stop()
        await watching
        stats.cpu = meter.cores()
        stats.generator_us = meter.generator_seconds / max(1, stats.sent) * 1e6
        stats.generator_lag = lag.summary()
        stats.pauses = (await probe.result()).summary()
    for _ in range(300):  # wait (at most ~15 s) for deliveries still in flight
        if len(received) >= stats.sent:
            break
        await asyncio.sleep(0.05)
    for a, b in sockets:
        await a.close()
        await b.close()
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    gc.enable()
    return stats


async def idle(ws_base: str, pairs: list[Pair], count: int, pid: int | None) -> list[str]:
    lines = []
    before = rss_mb(pid) if pid else float("nan")
    sockets: list[Any] = []
    targets = itertools.cycle([(p.conversation_id, t) for p in pairs for t in p.tokens])
    batch = 200
    started = time.perf_counter()
    failures = 0
    while len(sockets) + failures < count:
        chunk = [next(targets) for _ in range(min(batch, count - len(sockets) - failures))]
        results = await asyncio.gather(
            *(connect(ws_base, cid, token) for cid, token in chunk), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                failures += 1
            else:
                sockets.append(result)
    opened_in = time.perf_counter() - started
    await asyncio.sleep(5)
    with_sockets = rss_mb(pid) if pid else float("nan")
    lines.append(
        f"idle sockets={len(sockets)} failed={failures} opened in {opened_in:.1f} s; "
        f"server RSS {before:.0f} MB -> {with_sockets:.0f} MB "
        f"({(with_sockets - before) * 1024 / max(1, len(sockets)):.1f} KiB/socket)"
    )
    # are they alive? one message through a random pair reaches its idle sockets
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return lines


async def run(args: argparse.Namespace, base: str) -> list[str]:
    ws_base = base.replace("http://", "ws://")
    port = int(base.rsplit(":", 1)[1])
    pid = server_pid(port)
    lines: list[str] = []

    def out(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    out(f"machine: {machine()}; nofile={raise_nofile()}; server pid={pid}")
    out(
        f"database={os.environ.get('HYPEHERE_DATABASE_URL', 'sqlite (temp)')} "
        f"redis={os.environ.get('HYPEHERE_REDIS_URL', 'embedded')}"
    )
    pairs = await setup(base, args.pairs)
    out(f"setup: {len(pairs)} conversations; load {load_average():.1f}")
    await exchange(ws_base, pairs, rate=50, seconds=2)  # warm-up
    postgres_url = os.environ.get("HYPEHERE_DATABASE_URL")
    postgres_url = postgres_url if is_postgres(postgres_url) else None
    database_url = postgres_url if args.background_worker else None
    await outbox_drain(database_url)  # the sign-ups' and warm-up's events
    wal_mb = args.wal_ready_mb
    if wal_mb is None:  # the whole run's WAL, at about twice the ~4.2 KiB a message writes
        messages = args.rate * args.seconds + sum(args.ramp) * args.ramp_seconds
        wal_mb = messages * 9 / 1024
    if postgres_url and args.vacuum:
        out(await vacuum_analyze(postgres_url))
    if postgres_url and wal_mb > 0:
        out(await recycle_ahead(postgres_url, wal_mb))
    await settle(args.settle_seconds)

    async def stage(rate: float, seconds: float) -> Stats:
        wal = WalMeter(postgres_url) if postgres_url else None
        if wal:
            await wal.start()
        stats = await exchange(ws_base, pairs, rate=rate, seconds=seconds, port=port)
        stats.wal = await wal.summary(stats.sent) if wal else ""
        return stats

    def details(stats: Stats) -> None:
        out(f"            {stats.cpu}; generator loop lag {stats.generator_lag}")
        if stats.generator_us:
            out(
                f"            box speed: the load generator spent {stats.generator_us:.0f} µs "
                "of CPU per message (the same code every run)"
            )
        out(f"            {stats.slowest()}")
        out(f"            {stats.pauses}")
        if stats.wal:
            out(f"            {stats.wal}")

    load = load_average()
    fixed = await stage(args.rate, args.seconds)
    out(f"fixed-rate  {fixed.line()}  load {load:.1f} -> {load_average():.1f}")
    details(fixed)
    if database_url:
        out(f"            {await outbox_drain(database_url)}")
    best: Stats | None = None
    for rate in args.ramp:
        load = load_average()
        stats = await stage(rate, args.ramp_seconds)
        sustained = (
            stats.delivered == stats.sent
            and stats.achieved_rate >= 0.95 * rate
            and stats.pct(0.99) < args.p99_bound_ms
        )
        out(
            f"ramp        {stats.line()}  {'sustained' if sustained else 'NOT sustained'}"
            f"  load {load:.1f} -> {load_average():.1f}"
        )
        details(stats)
        if database_url:
            out(f"            {await outbox_drain(database_url)}")
        if not sustained:
            break
        best = stats
    out(
        f"max sustained: {best.rate:.0f} msg/s (p99 {best.pct(0.99):.1f} ms)"
        if best
        else "max sustained: below the first ramp step"
    )
    if args.idle:
        for line in await idle(ws_base, pairs, args.idle, pid):
            out(line)
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench chat", description=__doc__)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--rate", type=float, default=500, help="messages/second (fixed run)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--ramp", type=lambda v: [float(x) for x in v.split(",")], default=[250, 500, 750, 1000]
    )
    parser.add_argument("--ramp-seconds", type=float, default=8)
    parser.add_argument("--p99-bound-ms", type=float, default=1000)
    parser.add_argument("--idle", type=int, default=5000, help="idle sockets (0 = skip)")
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=30,
        help="before measuring, wait at most this long for the machine to be quiet",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--background-worker",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run a `hypehere worker` beside the server (outbox dispatcher: every message's "
        "`message` notification is created and pushed during the run, as in production)",
    )
    parser.add_argument(
        "--pool-size",
        type=int,
        default=20,
        help="HYPEHERE_DATABASE_POOL_SIZE per uvicorn worker: a frame holds a connection for "
        "its read; a burst beyond the pool waits for one",
    )
    parser.add_argument(
        "--vacuum",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="PostgreSQL: VACUUM ANALYZE after the warm-up, before measuring",
    )
    parser.add_argument(
        "--wal-ready-mb",
        type=float,
        default=None,
        help="PostgreSQL: before measuring, make sure this much of WAL segment files is ready "
        "ahead (recycled, as on a server that has run a while); default: twice the run's "
        "WAL; 0 = as the server is (a fresh one creates and zero-fills each 16 MB segment "
        "while commits wait, see bench/wal.py)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the server (repeatable), e.g. HYPEHERE_LOOP_STALL_MS=20",
    )
    args = parser.parse_args(argv)
    raise_nofile()
    overrides = {
        "HYPEHERE_DATABASE_POOL_SIZE": str(args.pool_size),
        **dict(item.split("=", 1) for item in args.env),
    }
    with serve(overrides, workers=args.workers, background_worker=args.background_worker) as base:
        asyncio.run(run(args, base))
    return 0
