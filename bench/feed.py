"""`GET /feed` under load: N concurrent authenticated clients against a real
`hypehere serve` (uvicorn) on PostgreSQL + Redis, plus an in-process profile of where a
feed request spends its time.

    # seed once (fresh database), then run
    HYPEHERE_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
        .venv/bin/hypehere migrate && .venv/bin/hypehere seed-demo --users 2000 --posts 50000
    HYPEHERE_DATABASE_URL=... HYPEHERE_REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python -m bench feed --concurrency 50 --seconds 20 --workers 2

Each client logs in as a different demo user (`demo<N>@example.com`, seed-demo's
password) and loops over feed sessions: a first page (`GET /feed?limit=20`: candidate
query, ranking, snapshot stored in the cache, impressions logged) and then `--pages - 1`
pages through the cursor (cut from the cached snapshot). First pages and cursor pages are
reported separately and together.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import time
from typing import Any

import httpx

from bench.common import CpuMeter, LoopLag, Result, machine, serve

PASSWORD = "demo-password-123"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench feed", description=__doc__)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="separate `hypehere serve` processes, each on its own port, with the clients "
        "dealt evenly over them (as a balancing proxy would); use with --workers 1",
    )
    parser.add_argument("--pages", type=int, default=3, help="pages per feed session")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client waits between a response and its next request (a person "
        "reading the page; exponentially distributed). 0 = closed loop: as fast as possible",
    )
    parser.add_argument("--users", type=int, default=2000, help="demo users seeded")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument(
        "--email",
        default="demo{n}@example.com",
        help="the users' email pattern: `tl{n}@bench.example` with --password "
        "timeline-bench-password-1 runs on a `bench timeline` dataset (50 follows each)",
    )
    parser.add_argument(
        "--pool-size",
        type=int,
        default=25,
        help="HYPEHERE_DATABASE_POOL_SIZE per worker: a request holds a connection, so with "
        "fewer than the clients per worker, requests wait for one",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the server (repeatable), e.g. HYPEHERE_FEED_POOL_TTL_SECONDS=60",
    )
    parser.add_argument("--profile", type=int, default=30, help="viewers to profile in-process")
    parser.add_argument("--no-load", action="store_true", help="only the in-process profile")
    return parser.parse_args(argv)


async def login_all(base: str, users: list[int], password: str, email: str) -> list[str]:
    tokens: list[str] = [""] * len(users)
    sem = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def one(i: int, n: int) -> None:
            async with sem:
                r = await client.post(
                    "/api/v1/auth/login",
                    json={"email": email.format(n=n), "password": password},
                )
                r.raise_for_status()
                tokens[i] = r.json()["access_token"]

        await asyncio.gather(*(one(i, n) for i, n in enumerate(users)))
    return tokens


async def run_load(
    bases: list[str],
    tokens: list[str],
    seconds: float,
    pages: int,
    limit: int,
    think: float,
    meter: CpuMeter,
) -> tuple[Result, Result, Result, list[int]]:
    """Build every client first (an httpx client loads a CA bundle: ~20 ms of the load
    generator's CPU each, which would otherwise show up as latency), warm up (connections,
    the server's pools and model), then measure. Clients are dealt round robin over `bases`
    (several server processes: what a balancing proxy would do)."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(
            base_url=bases[i % len(bases)],
            limits=limits,
            timeout=30,
            headers={"Authorization": f"Bearer {t}"},
        )
        for i, t in enumerate(tokens)
    ]
    try:
        await load(clients, 3.0, 1, limit)
        meter.start()
        try:
            return await load(clients, seconds, pages, limit, think)
        finally:
            meter.stop()
    finally:
        for client in clients:
            await client.aclose()


async def load(
    clients: list[httpx.AsyncClient], seconds: float, pages: int, limit: int, think: float = 0.0
) -> tuple[Result, Result, Result, list[int]]:
    first = Result("GET /feed (first page)", len(clients), seconds)
    later = Result("GET /feed (cursor page)", len(clients), seconds)
    both = Result("GET /feed (all)", len(clients), seconds)
    sizes: list[int] = []
    began = time.perf_counter()
    stop_at = began + seconds

    async def client_loop(client: httpx.AsyncClient, rng: random.Random) -> None:
        if think:  # clients start spread out, not in lockstep
            await asyncio.sleep(rng.uniform(0, think))
        while time.perf_counter() < stop_at:
            cursor = None
            for page in range(pages):
                if think and page:
                    await asyncio.sleep(rng.expovariate(1 / think))
                params: dict[str, Any] = {"limit": limit}
                if cursor:
                    params["cursor"] = cursor
                started = time.perf_counter()
                r = await client.get("/api/v1/feed", params=params)
                elapsed = (time.perf_counter() - started) * 1000
                bucket = first if page == 0 else later
                for res in (bucket, both):
                    res.latencies_ms.append(elapsed)
                    res.timeline.append((started - began, elapsed))
                    if r.status_code != 200:
                        res.unexpected += 1
                        res.unexpected_statuses[r.status_code] = (
                            res.unexpected_statuses.get(r.status_code, 0) + 1
                        )
                if r.status_code != 200:
                    break
                body = r.json()
                sizes.append(len(body["items"]))
                cursor = body["next_cursor"]
                if not cursor or time.perf_counter() >= stop_at:
                    break
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))

    started = time.perf_counter()
    lag = LoopLag()
    watching = asyncio.create_task(lag.watch(stop_at))
    await asyncio.gather(*(client_loop(c, random.Random(i)) for i, c in enumerate(clients)))
    elapsed = time.perf_counter() - started
    await watching
    if pages > 1:  # the measured run, not the warm-up
        print(f"load generator event-loop lag: {lag.summary()}")
    for res in (first, later, both):
        res.seconds = elapsed
    return first, later, both, sizes


async def profile(viewers: int, users: int) -> list[str]:
    """Time each stage of the ranked-feed pipeline in-process for `viewers` demo users."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from hypehere.adapters.sql.demo.seed import DEMO_EMAIL_PATTERN
    from hypehere.adapters.sql.users.queries import users_with_email_like
    from hypehere.application.common.cache import Cache
    from hypehere.application.feed.get_feed import CANDIDATE_LIMIT
    from hypehere.application.feed.ports import FeedCandidates, PostReader
    from hypehere.application.feed.ranker import Ranker
    from hypehere.application.feed.snapshots import FeedSnapshot, FeedSnapshots, RankedItem
    from hypehere.bootstrap.container import make_container
    from hypehere.bootstrap.settings import load_settings
    from hypehere.domain.shared.clock import SystemClock
    from hypehere.domain.shared.ids import new_id

    settings = load_settings()
    container = make_container(settings, web=False)
    stages: dict[str, list[float]] = {
        k: [] for k in ("candidates_sql", "rank", "snapshot_save", "render_sql")
    }
    counts: list[int] = []
    ranker = await container.get(Ranker)
    snapshots = FeedSnapshots(await container.get(Cache))
    clock = SystemClock()
    rng = random.Random(7)
    try:
        async with container() as request:
            session = await request.get(AsyncSession)
            ids = list((await session.scalars(users_with_email_like(DEMO_EMAIL_PATTERN))).all())
        sample = rng.sample(ids, min(viewers, len(ids)))
        for viewer in sample:
            async with container() as request:
                candidates = await request.get(FeedCandidates)
                reader = await request.get(PostReader)
                t0 = time.perf_counter()
                found = await candidates.gather(viewer, clock.now(), None, CANDIDATE_LIMIT)
                t1 = time.perf_counter()
                scores = ranker.score(found)
                t2 = time.perf_counter()
                order = sorted(range(len(found)), key=lambda i: -scores[i])
                items = [RankedItem.of(found[i], scores[i]) for i in order]
                snap = FeedSnapshot(new_id(), viewer, 0, None, clock.now(), ranker.name, items)
                page = snap.serve_next(20)
                await snapshots.save(snap, new=True)
                t3 = time.perf_counter()
                await reader.get_many(viewer, [i.post_id for i in page], staff=False)
                t4 = time.perf_counter()
            counts.append(len(found))
            for key, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                stages[key].append(value * 1000)
        # The ranker alone on exactly 500 candidates (the target: < 5 ms).
        pool = []
        async with container() as request:
            candidates = await request.get(FeedCandidates)
            for viewer in sample:
                pool.extend(await candidates.gather(viewer, clock.now(), None, CANDIDATE_LIMIT))
                if len(pool) >= 500:
                    break
        batch = (pool * (500 // max(len(pool), 1) + 1))[:500]
        rank500 = []
        for _ in range(200):
            t = time.perf_counter()
            ranker.score(batch)
            rank500.append((time.perf_counter() - t) * 1000)
    finally:
        await container.close()

    def fmt(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        return f"p50 {statistics.median(values):7.2f} ms  p95 {p95:7.2f} ms"

    lines = [
        f"profile: {len(sample)} viewers, candidates per viewer p50 "
        f"{statistics.median(counts):.0f} (max {max(counts)}), "
        f"ranker {ranker.name}:{ranker.version}"
    ]
    lines += [f"  {name:<15} {fmt(values)}" for name, values in stages.items()]
    lines.append(f"  rank 500 cands  {fmt(rank500)}")
    return lines


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = os.environ.get("HYPEHERE_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("set HYPEHERE_DATABASE_URL to a seeded PostgreSQL database (see --help)")
        return 2
    redis = "Redis" if os.environ.get("HYPEHERE_REDIS_URL") else "no Redis (in-process cache)"
    load_before = os.getloadavg()[0]
    results: list[Result] = []
    sizes: list[int] = []
    if not args.no_load:
        users = random.Random(1).sample(range(args.users), args.concurrency)
        overrides = {
            "HYPEHERE_DATABASE_POOL_SIZE": str(args.pool_size),
            # Several server processes must accept each other's tokens.
            "HYPEHERE_JWT_SECRET": "bench-feed-secret-with-enough-entropy-0123456789",
            **dict(item.split("=", 1) for item in args.env),
        }
        with contextlib.ExitStack() as stack:
            bases = [
                stack.enter_context(serve(overrides, workers=args.workers))
                for _ in range(args.processes)
            ]
            tokens = asyncio.run(login_all(bases[0], users, args.password, args.email))
            meter = CpuMeter([int(base.rsplit(":", 1)[1]) for base in bases])
            *results, sizes = asyncio.run(
                run_load(bases, tokens, args.seconds, args.pages, args.limit, args.think, meter)
            )
    load_after = os.getloadavg()[0]
    print(f"machine: {machine()}, load avg {load_before:.1f} -> {load_after:.1f}")
    pacing = f"think {args.think:g} s between requests" if args.think else "closed loop"
    servers = (
        f"{args.processes} servers x {args.workers} worker(s), clients dealt evenly"
        if args.processes > 1
        else f"{args.workers} uvicorn worker(s)"
    )
    print(f"setup: PostgreSQL, {redis}, {servers}, pool {args.pool_size}, {pacing}")
    for result in results:
        print(result.line())
    if results:
        print(f"slowest: {results[-1].slowest()}")
    if sizes:
        print(f"items per page: mean {statistics.mean(sizes):.1f}")
    if results and results[-1].count:
        requests = results[-1].count
        print(
            f"CPU per request: server {meter.server_seconds * 1000 / requests:.2f} ms, "
            f"PostgreSQL {meter.postgres_seconds * 1000 / requests:.2f} ms "
            f"({meter.server_seconds:.1f} s and {meter.postgres_seconds:.1f} s for {requests}); "
            f"server CPU by process: {meter.split()}"
        )
    if args.profile:
        for line in asyncio.run(profile(args.profile, args.users)):
            print(line)
    return 0
