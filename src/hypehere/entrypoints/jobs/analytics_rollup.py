"""analytics-rollup (daily, just after UTC midnight): store yesterday's aggregates.
`payload["day"]` (YYYY-MM-DD) rolls up that day instead (rerunning a day replaces it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dishka import AsyncContainer

from hypehere.application.analytics.rollup_day import RollupDay, RollupDayCommand


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    day = payload.get("day")
    async with container() as request:
        use_case = await request.get(RollupDay)
        await use_case.execute(RollupDayCommand(day=date.fromisoformat(day) if day else None))
