"""Report counting on accounts: idempotent per report, 30-day active window."""

from __future__ import annotations

import pytest

from hypehere.application.moderation.count_resolved_report import (
    CountResolvedReport,
    CountResolvedReportCommand,
)
from hypehere.application.moderation.get_report_counts import (
    GetReportCounts,
    GetReportCountsCommand,
)
from hypehere.application.moderation.uncount_dismissed_report import (
    UncountDismissedReport,
    UncountDismissedReportCommand,
)
from hypehere.domain.users.errors import UserNotFoundError
from tests.unit.moderation.conftest import ModerationKit

pytestmark = pytest.mark.unit


async def test_report_counts(mod: ModerationKit) -> None:
    author = await mod.users.actor()
    count = mod.build(CountResolvedReport)
    counts_of = mod.build(GetReportCounts)
    assert await count.execute(CountResolvedReportCommand(author.user_id, "r1")) is True
    assert await count.execute(CountResolvedReportCommand(author.user_id, "r1")) is False
    mod.users.clock.advance(days=31)
    assert await count.execute(CountResolvedReportCommand(author.user_id, "r2")) is True
    counts = await counts_of.execute(GetReportCountsCommand(author.user_id))
    assert (counts.report_count, counts.active_report_count) == (2, 1)
    uncount = mod.build(UncountDismissedReport)
    assert await uncount.execute(UncountDismissedReportCommand(author.user_id, "r2")) is True
    assert await uncount.execute(UncountDismissedReportCommand(author.user_id, "r2")) is False
    counts = await counts_of.execute(GetReportCountsCommand(author.user_id))
    assert (counts.report_count, counts.active_report_count) == (1, 0)
    assert mod.users.store.users[author.user_id].report_count == 1
    with pytest.raises(UserNotFoundError):
        await count.execute(CountResolvedReportCommand("missing", "r3"))
