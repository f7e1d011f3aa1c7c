"""`hypehere serve --workers 2` on SQLite: each worker process listens on its own
SO_REUSEPORT socket and gets a share of the connections; a killed worker is replaced; SIGTERM
stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.e2e import server_env
from tests.e2e.test_chat_across_processes import free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

HYPEHERE = str(Path(sys.executable).parent / "hypehere")
LISTEN, ESTABLISHED = "0A", "01"


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out.extend(int(c) for c in (task / "children").read_text().split())
    return out


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _tcp_inodes(port: int, state: str) -> set[str]:
    """Inodes of IPv4 TCP sockets whose local port is `port`, in `state`."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
            found.add(fields[9])
    return found


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


class Served:
    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def workers(self) -> list[int]:
        return _children(self.process.pid)

    def listening(self, pid: int) -> bool:
        return len(_socket_inodes(pid) & _tcp_inodes(self.port, LISTEN)) == 1

    def live(self) -> bool:
        try:
            return httpx.get(f"{self.base}/health/live", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


@contextmanager
def two_workers(tmp_path: Path, prepare: Callable[[], None] | None = None) -> Iterator[Served]:
    """`hypehere serve --workers 2` on a migrated SQLite database in `tmp_path`, until both
    workers listen; `prepare` runs after the migration, before the server starts."""
    env = server_env(
        HYPEHERE_VAR_DIR=str(tmp_path),
        HYPEHERE_RATE_LIMIT_ENABLED="false",
        HYPEHERE_LOG_FORMAT="json",
        HYPEHERE_LOG_LEVEL="WARNING",
        HYPEHERE_GC_FREEZE="false",
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # the server chooses it under the var dir
    subprocess.run([HYPEHERE, "migrate"], env=env, check=True, cwd=tmp_path)
    if prepare is not None:
        prepare()
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [HYPEHERE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Served(process, port)
    try:
        _wait_for(
            lambda: len(server.workers()) == 2 and all(map(server.listening, server.workers())),
            60,
        )
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with two_workers(tmp_path) as server:
        yield server


def test_each_worker_listens_on_its_own_socket_and_gets_connections(served: Served) -> None:
    workers = served.workers()
    listening = _tcp_inodes(served.port, LISTEN)
    owned = [_socket_inodes(pid) & listening for pid in workers]
    assert all(len(inodes) == 1 for inodes in owned), owned
    assert owned[0] != owned[1]

    # 40 keep-alive connections held open: the kernel hashes each to one worker's socket.
    clients = [httpx.Client(base_url=served.base, timeout=5) for _ in range(40)]
    try:
        for client in clients:
            assert client.get("/health/live").status_code == 200
        established = _tcp_inodes(served.port, ESTABLISHED)
        per_worker = [len(_socket_inodes(pid) & established) for pid in workers]
        assert sum(per_worker) == 40
        assert min(per_worker) > 0, per_worker  # all on one: probability 2 ** -39
    finally:
        for client in clients:
            client.close()


def test_a_killed_worker_is_replaced_and_sigterm_stops_all(served: Served) -> None:
    victim, survivor = served.workers()
    os.kill(victim, signal.SIGKILL)
    _wait_for(lambda: len(served.workers()) == 2 and victim not in served.workers())
    assert survivor in served.workers()
    replacement = next(pid for pid in served.workers() if pid != survivor)
    _wait_for(lambda: served.listening(replacement))
    assert served.live()

    workers = served.workers()
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
