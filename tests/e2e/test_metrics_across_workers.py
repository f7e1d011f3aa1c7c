"""`hypehere serve --workers 2`: `/metrics` is the sum over every worker (prometheus_client's
multiprocess mode), whichever worker answers the scrape."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e import server_env
from tests.e2e.test_chat_across_processes import free_port
from tests.e2e.test_serve_workers import HYPEHERE, Served, _wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

REQUESTS = 30
SCRAPES = 10


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = server_env(
        HYPEHERE_VAR_DIR=str(tmp_path),
        HYPEHERE_RATE_LIMIT_ENABLED="false",
        HYPEHERE_LOG_FORMAT="json",
        HYPEHERE_LOG_LEVEL="WARNING",
        HYPEHERE_GC_FREEZE="false",
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    subprocess.run([HYPEHERE, "migrate"], env=env, check=True, cwd=tmp_path)
    # A file left by an earlier run: emptied before the workers start.
    (tmp_path / "prometheus").mkdir()
    (tmp_path / "prometheus" / "counter_1.db").write_bytes(b"stale")
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


def _requests_to(text: str, path: str) -> float:
    total = 0.0
    for family in text_string_to_metric_families(text):
        if family.name != "hypehere_requests":
            continue
        for sample in family.samples:
            if sample.name == "hypehere_requests_total" and sample.labels.get("path") == path:
                total += sample.value
    return total


def _fresh_get(base: str, path: str) -> httpx.Response:
    # A new connection each time: the kernel spreads connections over the workers' sockets.
    with httpx.Client(base_url=base, timeout=5) as client:
        return client.get(path)


def test_every_scrape_counts_the_requests_of_both_workers(served: Served, tmp_path: Path) -> None:
    for _ in range(REQUESTS):
        assert _fresh_get(served.base, "/health/live").status_code == 200
    # Ten scrapes, each on a new connection (so answered by either worker): every one sees
    # all the requests. With per-process registries each would see only its worker's share
    # (both workers get connections: test_serve_workers).
    seen = []
    for _ in range(SCRAPES):
        response = _fresh_get(served.base, "/metrics")
        assert response.status_code == 200
        seen.append(_requests_to(response.text, "/health/live"))
    assert seen == [REQUESTS] * SCRAPES
    pids = {int(f.stem.rsplit("_", 1)[1]) for f in (tmp_path / "prometheus").glob("counter_*")}
    assert set(served.workers()) <= pids
    assert 1 not in pids  # the stale file is gone
