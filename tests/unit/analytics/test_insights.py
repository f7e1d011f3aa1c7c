"""daily-insights: the rules summary, and the Claude summarizer against a fake of the
Messages API (tests/contract/moderation/fake_messages_api.py): what it sends (figures
only), the stored summary, retries, and the fallback to the rules summary."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import httpx2
import pytest

from hypehere.adapters.analytics.claude import ClaudeDaySummarizer
from hypehere.adapters.claude.calls import CircuitBreaker, ClaudeCalls
from hypehere.adapters.memory.analytics import InMemoryDailyStats
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.analytics.generate_insights import (
    GenerateInsights,
    GenerateInsightsCommand,
    InsightsUnavailableError,
    NoAggregatesError,
    RulesSummarizer,
)
from hypehere.domain.analytics.insights import rules_summary
from hypehere.domain.analytics.model import DailyStats
from tests.contract.moderation.fake_messages_api import FakeMessagesApi, error, text_only

DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 11, 0, 40, tzinfo=UTC)
TODAY = DailyStats(
    DAY, 120, 40, 6, 30, 55, 400, 12, dau=45, reports_opened=5, reports_resolved=2,
    resolution_p50_seconds=5400.0, lessons_completed=3, reviews=20, corrections=4,
)  # fmt: skip
BEFORE = DailyStats(date(2026, 3, 9), 100, 35, 3, 25, 50, 500, 10)


def summary_reply(text: str) -> Any:
    def reply(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200,
            json={
                "id": "msg_03",
                "type": "message",
                "role": "assistant",
                "model": "claude-haiku-4-5",
                "content": [
                    {
                        "type": "tool_use",
                        "id": "toolu_03",
                        "name": "record_summary",
                        "input": {"summary": text},
                    }
                ],
                "stop_reason": "tool_use",
                "stop_sequence": None,
                "usage": {"input_tokens": 200, "output_tokens": 60},
            },
        )

    return reply


async def _no_wait(seconds: float) -> None:
    return None


def _summarizer(api: FakeMessagesApi) -> ClaudeDaySummarizer:
    calls = ClaudeCalls(
        "The Claude summarizer",
        InsightsUnavailableError,
        max_attempts=2,
        breaker=CircuitBreaker(threshold=5, cooldown=60.0),
        sleep=_no_wait,
    )
    return ClaudeDaySummarizer(api.client(), "claude-haiku-4-5", calls)


async def _stored() -> InMemoryDailyStats:
    stats = InMemoryDailyStats()
    await stats.save(BEFORE)
    await stats.save(TODAY)
    return stats


def test_the_rules_summary_says_what_changed_and_what_to_look_at() -> None:
    text = rules_summary(TODAY, BEFORE)
    assert text.startswith("2026-03-10: 120 visitors, 45 active users, 6 sign-ups")
    assert "visitors +20%, sign-ups +100%, messages -20%" in text
    assert "5 opened, 2 decided, median time to decision 1.5 h" in text
    assert "The report queue grew" in text
    assert "No one signed up" not in text
    quiet = rules_summary(DailyStats(DAY, 0, 0, 0, 0, 0, 0, 0), None)
    assert quiet.endswith("No one signed up.")


async def test_claude_gets_the_figures_only_and_its_summary_is_stored() -> None:
    api = FakeMessagesApi([summary_reply("Sign-ups doubled; the report queue grew.")])
    stats = await _stored()
    use_case = GenerateInsights(InMemoryUnitOfWork(), stats, _summarizer(api), FixedClock(NOW))
    insight = await use_case.execute(GenerateInsightsCommand())
    assert (insight.day, insight.source, insight.model) == (DAY, "claude", "claude-haiku-4-5")
    assert insight.summary == "Sign-ups doubled; the report queue grew."
    assert stats.insight_rows[DAY] == insight
    [request] = api.requests
    assert request["tool_choice"] == {"type": "tool", "name": "record_summary"}
    sent = json.loads(request["messages"][0]["content"])
    assert sent["day"]["day"] == "2026-03-10" and sent["day"]["new_users"] == 6
    assert sent["previous_day"]["day"] == "2026-03-09"
    assert set(sent["day"]) == set(sent["previous_day"])  # numbers of the same fields


async def test_failures_are_retried_then_the_rules_summary_is_stored() -> None:
    api = FakeMessagesApi([error(529, "overloaded_error"), summary_reply("Busy day.")])
    stats = await _stored()
    use_case = GenerateInsights(InMemoryUnitOfWork(), stats, _summarizer(api), FixedClock(NOW))
    assert (await use_case.execute(GenerateInsightsCommand(day=DAY))).summary == "Busy day."
    assert len(api.requests) == 2

    down = FakeMessagesApi([error(500, "api_error"), text_only("no tool call")])
    use_case = GenerateInsights(InMemoryUnitOfWork(), stats, _summarizer(down), FixedClock(NOW))
    insight = await use_case.execute(GenerateInsightsCommand(day=DAY))
    assert (insight.source, insight.model) == ("rules", None)
    assert insight.summary == rules_summary(TODAY, BEFORE)
    assert len(down.requests) == 2
    refused = FakeMessagesApi([error(400, "invalid_request_error")])
    with pytest.raises(InsightsUnavailableError, match="Claude answered 400"):
        await _summarizer(refused).summarize(TODAY, None)


async def test_without_a_key_the_rules_write_it_and_a_missing_day_is_an_error() -> None:
    stats = await _stored()
    use_case = GenerateInsights(InMemoryUnitOfWork(), stats, RulesSummarizer(), FixedClock(NOW))
    insight = await use_case.execute(GenerateInsightsCommand())
    assert (insight.source, insight.summary) == ("rules", rules_summary(TODAY, BEFORE))
    with pytest.raises(NoAggregatesError):
        await use_case.execute(GenerateInsightsCommand(day=date(2026, 1, 1)))
