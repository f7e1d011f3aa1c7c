"""`hypehere serve`: uvicorn, one server per process.

With several workers each worker process listens on its own SO_REUSEPORT socket, so the
kernel deals new connections evenly over them. uvicorn's own `--workers` shares one
listening socket, and whichever worker wakes first takes most connections: with keep-alive
HTTP clients and long-lived WebSockets one worker did 72 % of the work (measured with
`bench feed`), and it, not the machine, set the latency. The supervisor here starts the
workers, replaces one that dies, and passes SIGINT/SIGTERM on for a graceful shutdown.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import structlog

from hypehere.bootstrap.settings import Settings

logger = structlog.get_logger(__name__)

# A worker that exits with an error this soon after it was started is broken (bad settings,
# port taken, failed startup): restarting it would only loop, so the supervisor stops
# instead. One killed by a signal is always replaced.
STARTUP_GRACE_SECONDS = 10.0
SHUTDOWN_TIMEOUT_SECONDS = 20.0
GRACEFUL_SHUTDOWN_SECONDS = 10


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket that other processes may bind to the same address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def uvicorn_options(host: str, port: int, settings: Settings) -> dict[str, Any]:
    """uvicorn's Config for one server. Behind a reverse proxy, uvicorn takes the client
    address (what the per-IP rate limits count) from `X-Forwarded-For` and the scheme from
    `X-Forwarded-Proto`, but only on connections from `settings.forwarded_allow_ips`
    (`HYPEHERE_FORWARDED_ALLOW_IPS`: comma-separated addresses or networks, or `*`)."""
    return {
        "app": "hypehere.bootstrap.app:create_app",
        "factory": True,
        "host": host,
        "port": port,
        "log_config": None,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "ws_max_size": 65536,
        # Liveness is WebSocket protocol ping/pong (clients answer by themselves).
        "ws_ping_interval": settings.ws_ping_interval_seconds,
        "ws_ping_timeout": settings.ws_ping_timeout_seconds,
    }


def run_server(host: str, port: int, settings: Settings, *, reuse_port: bool) -> None:
    """Serve in this process until a signal stops it."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(**uvicorn_options(host, port, settings)))
    server.run(sockets=[reuse_port_socket(host, port)] if reuse_port else None)


METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_metrics(var_dir: Path) -> Path:
    """Several server processes share one metrics view: prometheus_client's multiprocess
    mode, each process writing its samples to files in one directory that every process's
    `/metrics` reads whole (`MultiProcessCollector`). The directory (`PROMETHEUS_MULTIPROC_DIR`
    if set, else `<var_dir>/prometheus`) is emptied before the workers start, so the counts
    of an earlier run never add up with this one's; the workers inherit the variable.
    Must run before anything imports prometheus_client in this process."""
    directory = Path(os.environ.get(METRICS_DIR_VARIABLE) or var_dir / "prometheus")
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[METRICS_DIR_VARIABLE] = str(directory)
    return directory


def forget_metrics_of(pid: int) -> None:
    """A dead worker's live gauges (requests in progress, open sockets) leave the sum; its
    counters stay, as a counter's total must not go down."""
    if os.environ.get(METRICS_DIR_VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def run_shared_socket_workers(host: str, port: int, workers: int, settings: Settings) -> None:
    """uvicorn's own workers, for systems without SO_REUSEPORT balancing."""
    import uvicorn

    uvicorn.run(**uvicorn_options(host, port, settings), workers=workers)


def _exit_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the supervisor dies (Linux)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def supports_reuse_port() -> bool:
    return hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


class Supervisor:
    """Keeps `workers` worker processes (`hypehere serve --worker-process`) running."""

    def __init__(self, host: str, port: int, workers: int) -> None:
        self._command = [
            sys.executable,
            "-m",
            "hypehere.bootstrap.cli",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
            "--worker-process",
        ]
        self._workers = workers
        self._stopping = False
        self._signal: int | None = None

    def _spawn(self) -> tuple[subprocess.Popen[bytes], float]:
        # Own process group: a terminal's Ctrl-C reaches the supervisor only, which passes it
        # on once (uvicorn takes a second SIGINT as "exit now, skip the graceful shutdown").
        process = subprocess.Popen(self._command, process_group=0, preexec_fn=_exit_with_parent)
        logger.info("worker_started", pid=process.pid)
        return process, time.monotonic()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
        self._signal = signum

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        children = [self._spawn() for _ in range(self._workers)]
        code = 0
        while not self._stopping:
            time.sleep(0.2)
            for index, (process, started) in enumerate(children):
                status = process.poll()
                if status is None or self._stopping:
                    continue
                if status > 0 and time.monotonic() - started < STARTUP_GRACE_SECONDS:
                    logger.error("worker_failed_to_start", pid=process.pid, status=status)
                    self._stopping, code = True, 1
                    break
                logger.warning("worker_died", pid=process.pid, status=status)
                forget_metrics_of(process.pid)
                children[index] = self._spawn()
        self._stop([process for process, _ in children])
        return code

    def _stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        for process in children:
            if process.poll() is None:
                process.send_signal(self._signal or signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT_SECONDS
        for process in children:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                logger.warning("worker_killed", pid=process.pid)
                process.kill()
                process.wait()
