"""A Redis outage under chat load on the real server stack (PostgreSQL + Redis, Redis
reached through a proxy the test cuts): acknowledgements keep coming while Redis is away,
everything acknowledged is stored, the queues stay bounded, the listener gets every message
live or a `resync` frame that covers it, and live delivery resumes by itself.

The outage is short here (`OUTAGE_SECONDS`); `python -m bench redis_outage` runs 30 s."""

from __future__ import annotations

import pytest

from hypehere.adapters.redis.broker import DEFAULT_MAX_PENDING
from hypehere.application.common.after_commit import MAX_QUEUED_ACTIONS
from hypehere.bootstrap.settings import Settings
from tests.api.chat.outage_scenario import run_outage

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 3.0
RATE = 20.0  # messages per second (the box running the suite is shared)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_redis_outage_under_load(backend_settings: Settings) -> None:
    report = await run_outage(backend_settings, rate=RATE, before=1.0, outage=OUTAGE_SECONDS)
    print("\n".join(report.lines()))
    assert report.sent_during_outage > 0
    # Acknowledged once stored, whatever the broker does: every message sent while Redis
    # was cut got its ack before Redis came back.
    assert report.acked_while_cut == report.sent_during_outage
    assert report.acked == report.sent
    assert report.acked_not_stored == []
    assert report.stored == report.sent
    # Nothing grew without bound meanwhile.
    assert report.max_after_commit_queued < MAX_QUEUED_ACTIONS
    assert report.max_pending_publishes <= DEFAULT_MAX_PENDING
    assert report.max_pending_waiters <= 2  # at most the two sockets' own topic
    # No live message silently missed: each arrived, or came after a resync's last id.
    assert report.resyncs
    assert report.missed == []
    assert report.live_after_restore
