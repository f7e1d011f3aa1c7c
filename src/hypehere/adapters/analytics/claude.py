"""The daily-insights summarizer on Claude (anthropic SDK, `AsyncAnthropic`).

It sends one day's aggregates and the day before's (figures only: counts, medians, no
text anyone wrote, no user ids) and asks for a short staff summary through a tool schema
(`record_summary`), so the answer is validated JSON. Retries, backoff and the circuit
breaker are the shared policy of `adapters/claude/calls.py`; when it gives up the use case
stores the rules summary instead (InsightsUnavailableError)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import Any

import anthropic
import structlog
from anthropic.types import MessageParam, ToolChoiceToolParam, ToolParam

from hypehere.adapters.claude.calls import ClaudeCalls, MalformedReplyError
from hypehere.application.analytics.generate_insights import Summary
from hypehere.domain.analytics.insights import MAX_SUMMARY
from hypehere.domain.analytics.model import DailyStats

logger = structlog.get_logger(__name__)

TOOL_NAME = "record_summary"

SYSTEM = """You write a short daily note for the staff of HypeHere, a social network where
people learn languages by writing to each other and chatting with anonymous partners.
You get one UTC day's aggregate figures as JSON (and the day before's, when there is one).
In at most five sentences say what changed, what stands out, and what staff should look at
(the report queue, slow report decisions, falling sign-ups or activity). Use only the
figures given; do not invent causes. Record it with the record_summary tool."""

TOOL: ToolParam = {
    "name": TOOL_NAME,
    "description": "Record the staff summary of the day.",
    "input_schema": {
        "type": "object",
        "properties": {"summary": {"type": "string", "maxLength": MAX_SUMMARY}},
        "required": ["summary"],
        "additionalProperties": False,
    },
}


def figures(day: DailyStats) -> dict[str, Any]:
    """The day's aggregates as JSON-friendly numbers."""
    out = asdict(day)
    out["day"] = day.day.isoformat()
    return out


def parse_summary(message: Any) -> str:
    for block in getattr(message, "content", None) or []:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == TOOL_NAME:
            data = getattr(block, "input", None)
            summary = data.get("summary") if isinstance(data, dict) else None
            if isinstance(summary, str) and summary.strip():
                return summary.strip()[:MAX_SUMMARY]
            break
    raise MalformedReplyError("no record_summary tool call in the reply")


class ClaudeDaySummarizer:
    def __init__(
        self,
        client: anthropic.AsyncAnthropic,
        model: str,
        calls: ClaudeCalls,
        *,
        timeout: float = 20.0,
        max_tokens: int = 600,
    ) -> None:
        self._client = client
        self._model = model
        self._calls = calls
        self._timeout = timeout
        self._max_tokens = max_tokens

    async def summarize(self, day: DailyStats, previous: DailyStats | None) -> Summary:
        text = await self._calls.run(lambda attempt: self._call(day, previous, attempt))
        return Summary(text, "claude", self._model)

    async def _call(self, day: DailyStats, previous: DailyStats | None, attempt: int) -> str:
        started = time.perf_counter()
        outcome = "error"
        usage: Any = None
        try:
            payload = {"day": figures(day), "previous_day": figures(previous) if previous else None}
            choice: ToolChoiceToolParam = {"type": "tool", "name": TOOL_NAME}
            prompt: MessageParam = {"role": "user", "content": json.dumps(payload)}
            message = await self._client.messages.create(
                model=self._model,
                max_tokens=self._max_tokens,
                system=SYSTEM,
                tools=[TOOL],
                tool_choice=choice,
                messages=[prompt],
                timeout=self._timeout,
            )
            usage = getattr(message, "usage", None)
            summary = parse_summary(message)
            outcome = "ok"
            return summary
        finally:
            logger.info(
                "claude_summarized_day",
                model=self._model,
                attempt=attempt,
                outcome=outcome,
                latency_ms=round((time.perf_counter() - started) * 1000, 1),
                input_tokens=getattr(usage, "input_tokens", None),
                output_tokens=getattr(usage, "output_tokens", None),
            )
