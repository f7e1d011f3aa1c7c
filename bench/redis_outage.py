"""`python -m bench redis_outage`: a Redis outage under chat load (issue 14).

One server (in this process, PostgreSQL + Redis from HYPEHERE_DATABASE_URL and
HYPEHERE_REDIS_URL) reaches Redis through a TCP proxy this script cuts for `--outage`
seconds (default 30) while a chat pair sends `--rate` messages/s (default 50); the Redis
server itself keeps running. Reports acks during the outage, what was stored, what the
listener got live or after its `resync`, and the largest after-commit / publish queues.
The scenario is `tests/api/chat/outage_scenario.py` (the test suite runs it for 3 s)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from hypehere.adapters.sql.engine import ensure_postgres_database
from hypehere.bootstrap.migrations import upgrade_to_head
from hypehere.bootstrap.settings import load_settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench redis_outage", description=__doc__)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--before", type=float, default=5)
    parser.add_argument("--outage", type=float, default=30)
    parser.add_argument("--after", type=float, default=10)
    parser.add_argument(
        "--hang",
        action="store_true",
        help="Redis stops answering but keeps its connections, instead of going away",
    )
    args = parser.parse_args(argv)
    database_url = os.environ.get("HYPEHERE_DATABASE_URL", "")
    redis_url = os.environ.get("HYPEHERE_REDIS_URL", "")
    if not database_url.startswith("postgresql") or not redis_url:
        print("set HYPEHERE_DATABASE_URL (PostgreSQL) and HYPEHERE_REDIS_URL", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.api.chat.outage_scenario import run_outage

    asyncio.run(ensure_postgres_database(database_url))
    upgrade_to_head(database_url)
    with tempfile.TemporaryDirectory(prefix="hypehere-outage-") as tmp:
        settings = load_settings(
            var_dir=Path(tmp),
            database_url=database_url,
            redis_url=redis_url,
            rate_limit_enabled=False,
            embedded_worker=False,
            log_level="ERROR",
            password_hash_profile="fast",
            gc_freeze=False,
        )
        report = asyncio.run(
            run_outage(
                settings,
                rate=args.rate,
                before=args.before,
                outage=args.outage,
                after=args.after,
                hang=args.hang,
            )
        )
    for line in report.lines():
        print(line)
    ok = (
        report.acked_while_cut == report.sent_during_outage
        and not report.acked_not_stored
        and not report.missed
        and report.live_after_restore
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1
