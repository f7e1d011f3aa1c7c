"""daily-insights (daily, after analytics-rollup): the staff summary of yesterday's
aggregates (Claude, or the rules summary). `payload["day"]` (YYYY-MM-DD) summarizes that
day instead (a rerun replaces its summary)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dishka import AsyncContainer

from hypehere.application.analytics.generate_insights import (
    GenerateInsights,
    GenerateInsightsCommand,
)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    day = payload.get("day")
    async with container() as request:
        use_case = await request.get(GenerateInsights)
        await use_case.execute(
            GenerateInsightsCommand(day=date.fromisoformat(day) if day else None)
        )
