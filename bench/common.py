"""Shared pieces for benchmarks: a real `hypehere serve` process, concurrent httpx load for a
bounded time, and latency statistics."""

from __future__ import annotations

import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from hypehere.adapters.sql.engine import ensure_postgres_database

HYPEHERE = str(Path(sys.executable).parent / "hypehere")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({model}), Python {platform.python_version()}"


def box_speed() -> str:
    """How fast this box runs Python right now: the best of five timings of a fixed loop.
    Shared 2-vCPU boxes vary from hour to hour; runs are comparable when this is."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return f"box speed: {best * 1000:.1f} ms for the reference loop (lower is faster)"


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    out = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                out.extend(process_tree(int(child)))
    except OSError:
        pass
    return out


def server_pid(port: int) -> int | None:
    """The `hypehere serve --port PORT` process; with several workers, their supervisor
    (the workers carry `--worker-process`)."""
    needle = f"--port\x00{port}\x00".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"serve" in cmdline and needle in cmdline and b"--worker-process" not in cmdline:
            return int(entry.name)
    return None


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


class LoopLag:
    """How late the load generator's own event loop wakes up (a 5 ms sleep, over and over):
    latency it measures includes this, so a busy or paused generator shows here."""

    def __init__(self) -> None:
        self.lags_ms: list[float] = []

    async def watch(self, until: float, period: float = 0.005) -> None:
        while time.perf_counter() < until:
            before = time.perf_counter()
            await asyncio.sleep(period)
            self.lags_ms.append((time.perf_counter() - before - period) * 1000)

    def summary(self) -> str:
        if not self.lags_ms:
            return "no samples"
        ordered = sorted(self.lags_ms)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        median = statistics.median(ordered)
        return f"p50 {median:.2f} ms, p99 {p99:.2f} ms, max {ordered[-1]:.2f} ms"


def busy_jiffies() -> int:
    """Machine-wide CPU ticks spent on anything but idle and iowait."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in fields]
    return sum(values) - values[3] - values[4]


def background_worker_pids() -> list[int]:
    """`hypehere worker` processes (the outbox dispatcher and job runner)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\x00")
            except OSError:
                continue
            if "worker" in [arg.decode(errors="replace") for arg in argv[1:3]] and any(
                b"hypehere" in arg for arg in argv[:2]
            ):
                pids.append(int(entry.name))
    return pids


def _pids_named(*names: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {name: [] for name in names}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm in found:
                found[comm].append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds used between `start()` and `stop()` by the server on `port` (its
    uvicorn workers included), by every PostgreSQL and Redis process, by this load
    generator, and by the whole machine: a figure that other load on a shared machine does
    not inflate the way it inflates latency, and a full account of where the cores went."""

    def __init__(self, ports: list[int]) -> None:
        self._ports = ports
        self._before: dict[tuple[str, int], int] = {}
        self._machine_before = 0
        self._started = 0.0
        self.wall_seconds = 0.0
        self.server_seconds = 0.0
        self.postgres_seconds = 0.0
        self.redis_seconds = 0.0
        self.generator_seconds = 0.0
        self.worker_seconds = 0.0
        self.machine_seconds = 0.0
        self.per_process: dict[int, float] = {}  # server processes' own CPU seconds

    def _server_pids(self) -> list[int]:
        roots = [pid for pid in map(server_pid, self._ports) if pid is not None]
        return [pid for root in roots for pid in process_tree(root)]

    def _sample(self) -> dict[tuple[str, int], int]:
        sample = {("server", pid): _cpu_ticks(pid) for pid in self._server_pids()}
        named = _pids_named("postgres", "redis-server")
        for kind, pids in named.items():
            sample |= {(kind, pid): _cpu_ticks(pid) for pid in pids}
        sample |= {("worker", pid): _cpu_ticks(pid) for pid in background_worker_pids()}
        sample[("generator", os.getpid())] = _cpu_ticks(os.getpid())
        return sample

    def start(self) -> None:
        self._before = self._sample()
        self._machine_before = busy_jiffies()
        self._started = time.perf_counter()

    def stop(self) -> None:
        after = self._sample()
        hz = os.sysconf("SC_CLK_TCK")
        self.wall_seconds += time.perf_counter() - self._started
        self.machine_seconds += (busy_jiffies() - self._machine_before) / hz
        for key, ticks in after.items():
            used = (ticks - self._before.get(key, 0)) / hz
            kind, pid = key
            if kind == "postgres":
                self.postgres_seconds += used
            elif kind == "redis-server":
                self.redis_seconds += used
            elif kind == "generator":
                self.generator_seconds += used
            elif kind == "worker":
                self.worker_seconds += used
            else:
                self.server_seconds += used
                self.per_process[pid] = self.per_process.get(pid, 0.0) + used

    def split(self) -> str:
        """How the server's CPU was shared between its processes (busiest first)."""
        shares = sorted(self.per_process.values(), reverse=True)
        total = sum(shares) or 1.0
        return " / ".join(f"{100 * share / total:.0f} %" for share in shares if share >= 0.05)

    def cores(self) -> str:
        """Average cores busy over the window, by consumer; `worker` is the background
        `hypehere worker`, `other` the rest of the machine (softirq work, anything else)."""
        wall = self.wall_seconds or 1.0
        known = (
            self.server_seconds
            + self.postgres_seconds
            + self.redis_seconds
            + self.generator_seconds
            + self.worker_seconds
        )
        parts = [
            ("server", self.server_seconds),
            ("postgres", self.postgres_seconds),
            ("redis", self.redis_seconds),
            ("generator", self.generator_seconds),
            ("worker", self.worker_seconds),
            ("other", max(0.0, self.machine_seconds - known)),
        ]
        shown = ", ".join(f"{name} {seconds / wall:.2f}" for name, seconds in parts)
        busy = self.machine_seconds / wall
        return f"cores busy: {shown} (machine {busy:.2f} of {os.cpu_count()})"


@contextmanager
def serve(
    env_overrides: dict[str, str] | None = None, workers: int = 1, background_worker: bool = False
) -> Iterator[str]:
    """Migrate a fresh SQLite database (unless HYPEHERE_DATABASE_URL is given; a PostgreSQL
    database it names is created if missing) and run
    `hypehere serve` on a free port; yields the base URL. With `background_worker`, a
    `hypehere worker` process runs beside it (outbox dispatch, jobs), as in production: its
    CPU competes with the web workers' on the same machine."""
    with tempfile.TemporaryDirectory(prefix="hypehere-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HYPEHERE_")}
        env.update(
            HYPEHERE_VAR_DIR=tmp,
            HYPEHERE_RATE_LIMIT_ENABLED="false",
            HYPEHERE_LOG_FORMAT="json",
            HYPEHERE_LOG_LEVEL="WARNING",
            HYPEHERE_EMBEDDED_WORKER="false",
            # benchmark accounts are all new: the fail-closed tier would hold their first
            # posts, comments and messages (rooms: every title) until checked
            HYPEHERE_MODERATION_HOLD_FIRST_POSTS="0",
            HYPEHERE_MODERATION_HOLD_FIRST_COMMENTS="0",
            HYPEHERE_MODERATION_HOLD_FIRST_MESSAGES="0",
            HYPEHERE_MODERATION_HOLD_ROOM_TITLES="false",
        )
        for name in ("HYPEHERE_DATABASE_URL", "HYPEHERE_REDIS_URL"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        env.update(env_overrides or {})
        database_url = env.get("HYPEHERE_DATABASE_URL")
        if database_url and asyncio.run(ensure_postgres_database(database_url)):
            print(f"created database {database_url}", flush=True)
        subprocess.run([HYPEHERE, "migrate"], env=env, check=True, cwd=tmp)
        port = free_port()
        process = subprocess.Popen(
            [
                HYPEHERE,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=tmp,
        )
        base = f"http://127.0.0.1:{port}"
        worker = (
            subprocess.Popen([HYPEHERE, "worker"], env=env, cwd=tmp) if background_worker else None
        )
        try:
            deadline = time.monotonic() + 180  # a busy shared machine starts slowly
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"hypehere serve exited with {process.returncode}")
                try:
                    if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not come up within 180 s")
                time.sleep(0.2)
            yield base
        finally:
            for child in (process, worker):
                if child is None:
                    continue
                child.terminate()
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()


@dataclass
class Result:
    name: str
    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    unexpected: int = 0
    unexpected_statuses: dict[int, int] = field(default_factory=dict)
    # (seconds into the run when the request started, latency ms), for `slowest()`
    timeline: list[tuple[float, float]] = field(default_factory=list)

    def slowest(self, n: int = 5) -> str:
        """When the slowest requests started: a burst at one moment points at a stall
        (garbage collection, a refresh), a spread at queueing."""
        worst = sorted(self.timeline, key=lambda item: -item[1])[:n]
        return ", ".join(f"{ms:.0f} ms at {at:.1f} s" for at, ms in sorted(worst))

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        cuts = statistics.quantiles(self.latencies_ms, n=1000, method="inclusive")
        return cuts[min(998, max(0, round(q * 1000) - 1))]

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<28} c={self.concurrency:<3} n={self.count:<7} "
            f"p50={self.percentile(0.50):7.2f} ms  p99={self.percentile(0.99):7.2f} ms  "
            f"{self.throughput:8.1f} req/s  unexpected={self.unexpected}"
            + (f" {self.unexpected_statuses}" if self.unexpected_statuses else "")
        )


Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def drive(
    name: str, base: str, request: Request, expect: int, concurrency: int, seconds: float
) -> Result:
    """`concurrency` clients, each sending one request at a time, for `seconds`."""
    result = Result(name, concurrency, seconds)
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def one_client() -> None:
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                response = await request(client)
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                if response.status_code != expect:
                    result.unexpected += 1
                    code = response.status_code
                    result.unexpected_statuses[code] = result.unexpected_statuses.get(code, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result
