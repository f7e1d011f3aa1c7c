"""Matching through a real `hypehere serve` (use PostgreSQL + Redis):

- queueing: N users with `/ws/matching` open queue at random moments over S seconds, with a
  realistic imbalance (RATIO learners of English per English native speaker; the learners
  speak ko, ja or es natively, the English speakers learn one of those). Reported: matches
  per second, p50/p99 time from `POST /matching/queue` to the `matched` frame, and how many
  users were still waiting at the end (learners for whom no speaker came: expected with
  the imbalance);
- relay: P matched pairs exchange anonymous messages at a fixed total rate; p50/p99 of
  send on one socket -> `message` frame on the partner's (each sender's first message is
  the one checked by the classifier before it is relayed), and CPU per relayed message of
  the server, PostgreSQL and Redis (steadier than latency on a shared machine); the
  generator's garbage collector is off while it sends (its pauses are not the server's);
- the server's RSS (all its processes) at the end.

    HYPEHERE_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench_matching \\
    HYPEHERE_REDIS_URL=redis://127.0.0.1:6379/8 \\
    .venv/bin/python -m bench matching --users 1000 --seconds 60 --ratio 5 \\
        --pairs 100 --rate 200 --relay-seconds 20 --workers 2

Passwords are hashed with the fast profile (sign-ups are not what is measured).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import random
import statistics
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import websockets

from bench.chat import rss_mb
from bench.common import CpuMeter, machine, serve, server_pid

API = "/api/v1"
OTHERS = ("ko", "ja", "es")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench matching", description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0, help="queueing spread")
    parser.add_argument("--ratio", type=int, default=5, help="English learners per speaker")
    parser.add_argument("--pairs", type=int, default=100, help="pairs in the relay stage")
    parser.add_argument("--rate", type=float, default=200.0, help="relayed messages/s")
    parser.add_argument("--relay-seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=1000, method="inclusive")
    return cuts[min(998, max(0, round(q * 1000) - 1))]


def profile(index: int, ratio: int) -> dict[str, Any]:
    """Every (ratio + 1)-th user is an English speaker; the others learn English."""
    other = OTHERS[index % len(OTHERS)]
    if index % (ratio + 1) == 0:
        return {"native_language": "en", "target_languages": [{"language": other, "level": "B1"}]}
    return {"native_language": other, "target_languages": [{"language": "en", "level": "A2"}]}


async def sign_up(http: httpx.AsyncClient, index: int, ratio: int) -> str:
    body = {
        "email": f"bench{index}_{random.getrandbits(40):x}@example.com",
        "password": "correct horse battery",
        "nickname": f"Bench {index}",
        **profile(index, ratio),
    }
    response = await http.post(f"{API}/auth/register", json=body)
    if response.status_code != 201:
        raise RuntimeError(f"sign-up {index}: {response.status_code} {response.text}")
    return str(response.json()["access_token"])


async def frames(ws: Any) -> Any:
    async for raw in ws:
        frame = json.loads(raw)
        if frame.get("type") == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        yield frame


async def queueing(base: str, args: argparse.Namespace) -> tuple[list[float], list[str], float]:
    """Times to match (ms), the conversation ids, seconds from the start to the last match."""
    ws_base = "ws://" + urlsplit(base).netloc
    limit = asyncio.Semaphore(32)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def one_sign_up(index: int) -> str:
            async with limit:
                return await sign_up(http, index, args.ratio)

        tokens = await asyncio.gather(*(one_sign_up(i) for i in range(args.users)))
        waits: list[float] = []
        last_match = [0.0]
        conversations: dict[str, int] = {}
        rng = random.Random(args.seed)
        deadline = time.perf_counter() + args.seconds + 30

        async def user(token: str) -> None:
            async with websockets.connect(f"{ws_base}/ws/matching?token={token}") as ws:
                await asyncio.sleep(rng.uniform(0, args.seconds))
                started = time.perf_counter()
                response = await http.post(
                    f"{API}/matching/queue", json={"mode": "text"}, headers=_auth(token)
                )
                response.raise_for_status()

                async def matched() -> None:
                    async for frame in frames(ws):
                        if frame["type"] == "matched":
                            waits.append((time.perf_counter() - started) * 1000)
                            last_match[0] = time.perf_counter()
                            cid = frame["conversation_id"]
                            conversations[cid] = conversations.get(cid, 0) + 1
                            return

                try:
                    await asyncio.wait_for(matched(), max(0.1, deadline - time.perf_counter()))
                except TimeoutError:  # still waiting: leave, so the relay stage starts clean
                    await http.delete(f"{API}/matching/queue", headers=_auth(token))

        began = time.perf_counter()
        await asyncio.gather(*(user(token) for token in tokens))
        elapsed = max(last_match[0] - began, 1e-9)
    return waits, [cid for cid, seen in conversations.items() if seen == 2], elapsed


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def relay(base: str, args: argparse.Namespace) -> tuple[list[float], CpuMeter]:
    """Match `pairs` fresh pairs, then relay messages between them at `rate` per second;
    the latencies, and the CPU used while relaying."""
    ws_base = "ws://" + urlsplit(base).netloc
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        pairs: list[tuple[str, str, str]] = []
        for index in range(args.pairs):
            first = await sign_up(http, 2 * index, 1)  # an English speaker
            second = await sign_up(http, 2 * index + 1, 1)  # a learner of English
            async with websockets.connect(f"{ws_base}/ws/matching?token={first}") as ws:
                for token in (first, second):
                    response = await http.post(
                        f"{API}/matching/queue", json={"mode": "text"}, headers=_auth(token)
                    )
                    response.raise_for_status()
                async for frame in frames(ws):
                    if frame["type"] == "matched":
                        pairs.append((frame["conversation_id"], first, second))
                        break
    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    counter = itertools.count()
    sockets = []
    for cid, first, second in pairs:
        a = await websockets.connect(f"{ws_base}/ws/anonymous-chat/{cid}?token={first}")
        b = await websockets.connect(f"{ws_base}/ws/anonymous-chat/{cid}?token={second}")
        sockets.append((a, b))

    async def listen(ws: Any) -> None:
        async for frame in frames(ws):
            if frame["type"] == "message":
                started = sent_at.pop(frame["message"]["client_id"], None)
                if started is not None:
                    latencies.append((time.perf_counter() - started) * 1000)

    async def drain(ws: Any) -> None:  # the sender's own acks
        async for _ in frames(ws):
            pass

    listeners = [asyncio.create_task(listen(b)) for _, b in sockets]
    listeners += [asyncio.create_task(drain(a)) for a, _ in sockets]
    total = int(args.rate * args.relay_seconds)
    meter = CpuMeter([int(urlsplit(base).port or 0)])
    gc.collect()
    gc.disable()
    meter.start()
    began = time.perf_counter()
    for n in range(total):
        await asyncio.sleep(max(0.0, began + n / args.rate - time.perf_counter()))
        a, _ = sockets[n % len(sockets)]
        client_id = str(next(counter))
        sent_at[client_id] = time.perf_counter()
        await a.send(json.dumps({"type": "message", "content": "hola", "client_id": client_id}))
    await asyncio.sleep(2)
    meter.stop()
    gc.enable()
    for task in listeners:
        task.cancel()
    for a, b in sockets:
        await a.close()
        await b.close()
    return latencies, meter


def main(argv: list[str]) -> int:
    args = parse(argv)
    random.seed(args.seed)
    database = (
        "PostgreSQL"
        if os.environ.get("HYPEHERE_DATABASE_URL", "").startswith("postgresql")
        else "SQLite"
    )
    redis = "Redis" if os.environ.get("HYPEHERE_REDIS_URL") else "no Redis"
    with serve({"HYPEHERE_PASSWORD_HASH_PROFILE": "fast"}, workers=args.workers) as base:
        waits, conversations, elapsed = asyncio.run(queueing(base, args))
        latencies, meter = asyncio.run(relay(base, args)) if args.pairs else ([], None)
        pid = server_pid(int(urlsplit(base).port or 0))
        rss = rss_mb(pid) if pid else float("nan")
    print(f"machine: {machine()}, load avg {os.getloadavg()[0]:.1f}")
    print(f"setup: {database}, {redis}, {args.workers} uvicorn worker(s)")
    print(
        f"queueing: {args.users} users over {args.seconds:.0f} s, {args.ratio}:1 English "
        f"learners per speaker: {len(conversations)} matches, the last after {elapsed:.1f} s "
        f"({len(conversations) / elapsed:.1f}/s), {len(waits)} users matched, "
        f"{args.users - len(waits)} still waiting; time to match "
        f"p50={percentile(waits, 0.5):.0f} ms p99={percentile(waits, 0.99):.0f} ms"
    )
    if args.pairs:
        print(
            f"relay: {args.pairs} pairs, {args.rate:.0f} msg/s for {args.relay_seconds:.0f} s: "
            f"{len(latencies)} delivered of {int(args.rate * args.relay_seconds)}, "
            f"p50={percentile(latencies, 0.5):.2f} ms p99={percentile(latencies, 0.99):.2f} ms"
        )
    if meter is not None:
        sent = max(1, int(args.rate * args.relay_seconds))
        print(
            f"relay CPU per message: server {meter.server_seconds / sent * 1000:.3f} ms, "
            f"PostgreSQL {meter.postgres_seconds / sent * 1000:.3f} ms, "
            f"Redis {meter.redis_seconds / sent * 1000:.3f} ms; {meter.cores()}"
        )
    print(f"server RSS: {rss:.0f} MB")
    return 0
