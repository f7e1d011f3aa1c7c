"""`GET /learning/errors?language=`: my accepted corrections per category per week (ISO
weeks of my own calendar, Monday first), oldest week first."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.learning.ports import CorrectionRepository, LearnerDirectory
from hypehere.domain.learning.corrections import CorrectionCategory
from hypehere.domain.learning.streaks import local_day
from hypehere.domain.shared.languages import parse_language


class GetErrorProfileCommand(msgspec.Struct, frozen=True):
    actor: Actor
    language: str | None = None


class WeekErrors(msgspec.Struct, frozen=True):
    week: str  # the Monday, YYYY-MM-DD
    counts: dict[str, int]  # every category, 0 included
    total: int


class ErrorProfile(msgspec.Struct, frozen=True):
    language: str | None
    weeks: list[WeekErrors]


class GetErrorProfile:
    def __init__(self, corrections: CorrectionRepository, learners: LearnerDirectory) -> None:
        self._corrections = corrections
        self._learners = learners

    async def execute(self, cmd: GetErrorProfileCommand) -> ErrorProfile:
        language = (
            parse_language(cmd.language, field="language") if cmd.language is not None else None
        )
        learner = await self._learners.learner(cmd.actor.user_id)
        timezone = learner.timezone if learner else "UTC"
        weeks: dict[str, dict[str, int]] = {}
        for accepted in await self._corrections.accepted_of(cmd.actor.user_id, language):
            day = local_day(accepted.accepted_at, timezone)
            monday = (day - timedelta(days=day.weekday())).isoformat()
            counts = weeks.setdefault(monday, {c.value: 0 for c in CorrectionCategory})
            counts[accepted.category] = counts.get(accepted.category, 0) + 1
        return ErrorProfile(
            language=language,
            weeks=[
                WeekErrors(week=week, counts=dict(counts), total=sum(counts.values()))
                for week, counts in sorted(weeks.items())
            ],
        )
