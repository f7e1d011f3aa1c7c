"""Baseline HTTP cost: `GET /health/ready` (one `SELECT 1`, plus a Redis PING when Redis is
configured) and an anonymous request to an unknown path (routing miss -> problem+json 404),
against a real `hypehere serve` on 127.0.0.1 with N concurrent keep-alive httpx clients.

    make bench BENCH=health
    .venv/bin/python -m bench health --concurrency 32 --seconds 20 --workers 2

Uses a fresh SQLite database unless HYPEHERE_DATABASE_URL is set (HYPEHERE_REDIS_URL is passed
through too). Rate limiting is off so the load is not throttled.
"""

from __future__ import annotations

import argparse
import asyncio
import os

import httpx

from bench.common import Result, drive, machine, serve


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench health", description=__doc__)
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration per scenario")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    return parser.parse_args(argv)


async def run(base: str, concurrency: int, seconds: float) -> list[Result]:
    async def ready(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/health/ready")

    async def missing(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/api/v1/no-such-thing")

    # A short warm-up so connection setup and first-request imports are not measured.
    await drive("warm-up", base, ready, 200, concurrency, min(2.0, seconds))
    return [
        await drive("GET /health/ready", base, ready, 200, concurrency, seconds),
        await drive("GET unknown path (404)", base, missing, 404, concurrency, seconds),
    ]


def main(argv: list[str]) -> int:
    args = parse(argv)
    database = (
        "PostgreSQL"
        if os.environ.get("HYPEHERE_DATABASE_URL", "").startswith("postgresql")
        else "SQLite"
    )
    redis = "Redis" if os.environ.get("HYPEHERE_REDIS_URL") else "no Redis"
    load_before = os.getloadavg()[0]
    with serve(workers=args.workers) as base:
        results = asyncio.run(run(base, args.concurrency, args.seconds))
    load = f"load avg {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
    print(f"machine: {machine()}, {load}")
    print(f"setup: {database}, {redis}, {args.workers} uvicorn worker(s), dataset: empty")
    for result in results:
        print(result.line())
    print("RESULTS.md rows:")
    for result in results:
        print(
            f"| health | {result.name} | {database}, {redis}, {args.workers} worker(s), {load} "
            "| empty "
            f"| {result.concurrency} | {result.seconds:.0f} s | {result.percentile(0.5):.2f} "
            f"| {result.percentile(0.99):.2f} | {result.throughput:.0f} | {result.unexpected} |"
        )
    return 1 if any(r.unexpected for r in results) else 0
