"""`hypehere` command line: serve, migrate, worker, jobs run NAME, seed-demo, train-ranker,
create-admin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from hypehere.bootstrap.logging import configure_logging
from hypehere.bootstrap.settings import Settings, SettingsError, load_settings

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        COMMANDS[name] = func
        return func

    return register


@command("serve")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    from hypehere.bootstrap.serving import (
        Supervisor,
        run_server,
        run_shared_socket_workers,
        supports_reuse_port,
    )

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    if args.worker_process:
        run_server(host, port, reuse_port=True)
        return 0
    if workers > 1 and supports_reuse_port():
        return Supervisor(host, port, workers).run()
    if workers > 1:
        run_shared_socket_workers(host, port, workers)
        return 0
    run_server(host, port, reuse_port=False)
    return 0


@command("migrate")
def migrate(args: argparse.Namespace, settings: Settings) -> int:
    from hypehere.bootstrap.migrations import upgrade_to_head

    upgrade_to_head(settings.effective_database_url, revision=args.revision)
    return 0


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
    add_extra_parsers(sub)
    return parser


def add_extra_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Module commands register their sub-parsers here."""
    from hypehere.bootstrap import cli_commands

    cli_commands.register(sub, command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    configure_logging(settings.effective_log_format, settings.log_level)
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
