"""What the per-request access log (`request_finished`, entrypoints/http/middleware.py)
costs: CPU per request with the line written (HYPEHERE_LOG_LEVEL=INFO) and filtered out
(WARNING), and what that is at 1,000 requests a second.

    python -m bench access_log                    # in-process: the middleware alone
    HYPEHERE_DATABASE_URL=postgresql+asyncpg://... HYPEHERE_REDIS_URL=redis://.../N \\
        python -m bench access_log --server --seconds 20 --concurrency 20

In-process, the middleware wraps an ASGI app that answers 200 at once, the JSON log going
to a file, and the two levels are interleaved (`--rounds`): CPU time of this process per
request, so other load on a shared machine does not inflate it. `--server` also runs a real
`hypehere serve` (one worker) per level on `GET /api/v1/users/me` (authenticated; its status
from the process's cache) with closed-loop clients and reports the server's CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from typing import Any

import httpx

from bench.common import CpuMeter, serve


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench access_log", description=__doc__)
    parser.add_argument("--requests", type=int, default=20_000, help="per in-process round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--server", action="store_true", help="also measure a real server")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=20)
    return parser.parse_args(argv)


async def _middleware_round(level: str, requests: int) -> float:
    """CPU microseconds per request through the logging middleware at `level`."""
    import logging

    from hypehere.bootstrap import logging as app_logging
    from hypehere.bootstrap.settings import LogFormat
    from hypehere.entrypoints.http.middleware import request_logging_middleware

    app_logging._configured = None
    app_logging.configure_logging(LogFormat.JSON, level)
    logging.getLogger().setLevel(level)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    wrapped = request_logging_middleware(app)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/users/me",
        "headers": [(b"authorization", b"Bearer x"), (b"host", b"localhost")],
    }

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    started = time.process_time()
    for _ in range(requests):
        await wrapped(scope, receive, send)  # type: ignore[arg-type]
    return (time.process_time() - started) * 1e6 / requests


def in_process(requests: int, rounds: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"INFO": [], "WARNING": []}
    with tempfile.TemporaryFile("w") as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)  # the JSON lines go to a file, as to a collector
        try:
            for _ in range(rounds):
                for level in ("WARNING", "INFO"):
                    results[level].append(asyncio.run(_middleware_round(level, requests)))
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
    return results


async def _closed_loop(base: str, token: str, seconds: float, concurrency: int) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30)
        for _ in range(concurrency)
    ]
    done = 0
    until = time.perf_counter() + seconds

    async def loop(client: httpx.AsyncClient) -> None:
        nonlocal done
        while time.perf_counter() < until:
            response = await client.get("/api/v1/users/me")
            response.raise_for_status()
            done += 1

    try:
        await asyncio.gather(*(loop(c) for c in clients))
    finally:
        for client in clients:
            await client.aclose()
    return done


async def _register(base: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": f"accesslog{time.time_ns()}@example.com",
                "password": "access log passphrase",
                "nickname": "Access Log",
                "native_language": "ko",
                "target_languages": [{"language": "en", "level": "B1"}],
            },
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


def server_run(level: str, seconds: float, concurrency: int) -> tuple[int, float]:
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(tempfile.TemporaryFile("w"))
        saved = os.dup(2)
        os.dup2(log.fileno(), 2)  # the server inherits it: its log goes to a file
        try:
            base = stack.enter_context(serve({"HYPEHERE_LOG_LEVEL": level}, workers=1))
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        token = asyncio.run(_register(base))
        asyncio.run(_closed_loop(base, token, 2.0, concurrency))  # warm up
        meter = CpuMeter([int(base.rsplit(":", 1)[1])])
        meter.start()
        count = asyncio.run(_closed_loop(base, token, seconds, concurrency))
        meter.stop()
        return count, meter.server_seconds * 1000 / max(count, 1)


def main(argv: list[str]) -> int:
    args = parse(argv)
    results = in_process(args.requests, args.rounds)
    info, warning = statistics.median(results["INFO"]), statistics.median(results["WARNING"])
    extra = info - warning
    print(
        f"middleware in-process ({args.rounds} interleaved rounds of {args.requests}): "
        f"log on {info:.1f} us/request, off {warning:.1f} us/request; the line costs "
        f"{extra:.1f} us = {extra * 1000 / 1e6 * 100:.1f} % of a core at 1,000 req/s"
    )
    if args.server:
        for level in ("WARNING", "INFO", "WARNING", "INFO"):
            count, cpu_ms = server_run(level, args.seconds, args.concurrency)
            print(
                f"server GET /users/me, log {'on ' if level == 'INFO' else 'off'}: "
                f"{count / args.seconds:.0f} req/s, server CPU {cpu_ms:.3f} ms/request"
            )
    return 0
