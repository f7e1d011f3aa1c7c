"""The image's health check, for every role the image runs.

`hypehere serve` answers `GET /health/live` on its port; `hypehere worker` serves no HTTP,
so it is healthy while its metrics endpoint answers (when `HYPEHERE_WORKER_METRICS_PORT` is
set) or simply while it runs; one-shot commands (`hypehere migrate`) are always healthy.
The role is read from the container's main process (PID 1) command line.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path


def _command_line() -> list[str]:
    try:
        raw = Path("/proc/1/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _option(args: list[str], name: str) -> str | None:
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def main() -> int:
    args = _command_line()
    if "serve" in args:
        port = _option(args, "--port") or os.environ.get("HYPEHERE_PORT", "8000")
        return 0 if _answers(f"http://127.0.0.1:{port}/health/live") else 1
    if "worker" in args:
        metrics_port = os.environ.get("HYPEHERE_WORKER_METRICS_PORT")
        if metrics_port is None:
            return 0
        return 0 if _answers(f"http://127.0.0.1:{metrics_port}/metrics") else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
