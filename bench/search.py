"""Search latency of the SQL full-text adapters (the embedded default and PostgreSQL).

    .venv/bin/python -m bench search [--backend sqlite|postgres] [--docs 50000]
        [--database-url URL] [--repeat 7]

Indexes `--docs` synthetic posts (30 words each from a 20,000-word random vocabulary,
seeded) through the adapter's own `upsert`, then times `search` (first page of 20) for an
exact word, one typo in an 8-letter and in a 5-letter word, two words and a miss, in
process (no HTTP). PostgreSQL needs `--database-url` to a database it may wipe
(`DROP SCHEMA public CASCADE`); SQLite uses a temporary file. Prints median and max ms per
query (the figures in bench/RESULTS.md, "search").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import string
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from hypehere.adapters.search.sql import PostgresSearchIndex, SqliteSearchIndex
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.bootstrap.migrations import upgrade_to_head
from hypehere.domain.search import rules
from hypehere.domain.search.model import SearchDocument, SearchKind, SearchQuery

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _vocabulary(rng: random.Random) -> list[str]:
    return [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10)))
        for _ in range(20_000)
    ]


def _typo(word: str, at: int) -> str:
    return word[:at] + ("x" if word[at] != "x" else "y") + word[at + 1 :]


async def _run(url: str, postgres: bool, docs: int, repeat: int) -> None:
    if postgres:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await asyncio.to_thread(upgrade_to_head, url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    adapter = PostgresSearchIndex if postgres else SqliteSearchIndex
    rng = random.Random(7)
    vocabulary = _vocabulary(rng)
    started = time.perf_counter()
    for start in range(0, docs, 2000):
        batch = [
            SearchDocument(
                kind=SearchKind.POSTS,
                id=f"p{i:08d}",
                text=" ".join(rng.choices(vocabulary, k=30)),
                language=rng.choice(["en", "ko", "ja"]),
                owner_id=f"u{i % 500}",
                created_at=T0 + timedelta(seconds=i),
            )
            for i in range(start, min(docs, start + 2000))
        ]
        async with factory() as session:
            await adapter(session).upsert(batch)
            await session.commit()
    print(f"indexed {docs} documents in {time.perf_counter() - started:.1f} s")
    if postgres:
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    eight = next(w for w in vocabulary if len(w) == 8)
    five = next(w for w in vocabulary if len(w) == 5)
    queries = [
        ("exact word", eight),
        ("one typo, 8 letters", _typo(eight, 3)),
        ("one typo, 5 letters", _typo(five, 2)),
        ("two words", f"{eight} {vocabulary[5]}"),
        ("no match", "zzzzzzzzqq"),
    ]
    for label, q in queries:
        timings = []
        hits = 0
        for _ in range(repeat):
            async with factory() as session:
                tick = time.perf_counter()
                result = await adapter(session).search(
                    SearchQuery(SearchKind.POSTS, q, None, T0 + timedelta(days=3650)),
                    rules.query_terms(q),
                )
                timings.append((time.perf_counter() - tick) * 1000)
                hits = len(result.ids)
        timings.sort()
        print(
            f"  {label:20s} q={q!r:24s} hits={hits:3d} "
            f"median={timings[len(timings) // 2]:.1f} ms max={timings[-1]:.1f} ms"
        )
    await engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench search")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    postgres = args.backend == "postgres"
    if postgres and not args.database_url:
        parser.error("--backend postgres needs --database-url (a database it may wipe)")
    print(f"load average {os.getloadavg()[0]:.1f}; backend {args.backend}")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        asyncio.run(_run(url, postgres, args.docs, args.repeat))
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0
