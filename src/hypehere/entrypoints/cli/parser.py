"""The `hypehere` argument parser: every command and flag operators rely on
(ARCHITECTURE.md "Operating contract")."""

from __future__ import annotations

import argparse
from datetime import date


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hypehere", description="HypeHere backend")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="Serve HTTP and WebSockets with uvicorn")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int)
    p.add_argument("--worker-process", action="store_true", help=argparse.SUPPRESS)

    p = sub.add_parser("migrate", help="Apply database migrations")
    p.add_argument("--revision", default="head")

    p = sub.add_parser(
        "train-ranker",
        help="Train a new feed-ranker model into the model directory (runs `python -m ml.train`; "
        "servers pick it up within HYPEHERE_RANKER_RELOAD_INTERVAL_SECONDS)",
    )
    p.add_argument(
        "--source",
        choices=["auto", "synthetic", "database", "file"],
        default="auto",
        help="auto: logged impressions when there are enough, else synthetic data",
    )
    p.add_argument("--impressions", help="JSON-lines impressions export (with --source file)")
    p.add_argument("--seed", type=int, help="seed for synthetic data and LightGBM")

    sub.add_parser(
        "worker",
        help="Run background jobs, cron schedules and the outbox dispatcher "
        "(SAQ on Redis; in-process when HYPEHERE_REDIS_URL is unset)",
    )
    jobs = sub.add_parser("jobs", help="Background jobs")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True)
    run = jobs_sub.add_parser("run", help="Run one job once, in this process")
    run.add_argument("name", help="Job name (see `hypehere jobs list`)")
    jobs_sub.add_parser("list", help="List the registered jobs and their schedules")

    analytics = sub.add_parser("analytics", help="Analytics aggregates")
    analytics_sub = analytics.add_subparsers(dest="analytics_command", required=True)
    p = analytics_sub.add_parser(
        "backfill",
        help="Roll up every UTC day of a range, oldest first (idempotent: a rerun replaces "
        "the days; visitor counts of days older than two days are kept as stored)",
    )
    p.add_argument("--from", dest="start", required=True, type=_day, help="YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, type=_day, help="YYYY-MM-DD")

    p = sub.add_parser(
        "seed-demo",
        help="Bulk-load a demo community (users, follows, posts, likes); COPY on PostgreSQL",
    )
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--posts", type=int, default=2000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--password", default=None, help="password of every demo user")

    p = sub.add_parser("create-admin", help="Create the first staff account (or promote one)")
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--nickname", default="Admin")
    p.add_argument("--native-language", default="ko")

    learning = sub.add_parser("learning", help="Learning content")
    learning_sub = learning.add_subparsers(dest="learning_command", required=True)
    p = learning_sub.add_parser(
        "load-curriculum",
        help="Upsert the curriculum data files by key and report what changed (idempotent); "
        "categories and lessons no longer in the files are kept and listed",
    )
    p.add_argument("--directory", default=None, help="a directory of curriculum YAML files")
    p.add_argument(
        "--no-check",
        action="store_true",
        help="load files that break the shipped curriculum rules (4 languages, 3x8, ...)",
    )
    return parser
