"""`hypehere analytics backfill --from --to`: roll up every day of a range, oldest first
(so each day's retention figures find the cohorts before it). Each day is its own
transaction and idempotent, so a backfill can be interrupted and rerun."""

from __future__ import annotations

from datetime import date

import msgspec

from hypehere.application.analytics.rollup_day import RollupDay, RollupDayCommand
from hypehere.domain.analytics.model import checked_range, days


class BackfillCommand(msgspec.Struct, frozen=True, kw_only=True):
    start: date
    end: date


class BackfillResult(msgspec.Struct, frozen=True):
    days: list[date]


class Backfill:
    def __init__(self, rollup: RollupDay) -> None:
        self._rollup = rollup

    async def execute(self, cmd: BackfillCommand) -> BackfillResult:
        start, end = checked_range(cmd.start, cmd.end)
        done = []
        for day in days(start, end):
            await self._rollup.execute(RollupDayCommand(day=day))
            done.append(day)
        return BackfillResult(done)
