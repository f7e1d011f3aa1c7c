"""`hypehere serve --workers 2`: `/metrics` is the sum over every worker (prometheus_client's
multiprocess mode), whichever worker answers the scrape."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.test_serve_workers import Served, two_workers

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

REQUESTS = 30
SCRAPES = 10


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    def leave_a_stale_file() -> None:
        # A file left by an earlier run: emptied before the workers start.
        (tmp_path / "prometheus").mkdir()
        (tmp_path / "prometheus" / "counter_1.db").write_bytes(b"stale")

    with two_workers(tmp_path, leave_a_stale_file) as server:
        yield server


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
