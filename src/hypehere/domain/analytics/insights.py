"""The daily insight: a short staff-only summary of one day's aggregates, written by Claude
or, without it, by these rules (figures only: never anything a user wrote)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hypehere.domain.analytics.model import DailyStats

MAX_SUMMARY = 2000


@dataclass(frozen=True, slots=True)
class Insight:
    day: date
    summary: str
    source: str  # "claude" or "rules"
    model: str | None
    created_at: datetime


def _change(now: float, before: float) -> str:
    if before == 0:
        return "new" if now else "flat"
    delta = (now - before) / before * 100
    return f"{delta:+.0f}%"


def rules_summary(day: DailyStats, previous: DailyStats | None) -> str:
    """A few sentences from the figures: volumes, the change against the day before, and
    what staff should look at (reports waiting, slow resolution, no sign-ups)."""
    parts = [
        f"{day.day.isoformat()}: {day.visitors} visitors, {day.dau} active users, "
        f"{day.new_users} sign-ups, {day.posts} posts, {day.comments} comments, "
        f"{day.messages} messages, {day.matches} matches."
    ]
    if previous is not None:
        parts.append(
            f"Against {previous.day.isoformat()}: "
            f"visitors {_change(day.visitors, previous.visitors)}, "
            f"sign-ups {_change(day.new_users, previous.new_users)}, "
            f"messages {_change(day.messages, previous.messages)}."
        )
    learning = day.lessons_completed + day.reviews + day.corrections
    if learning:
        parts.append(
            f"Learning: {day.lessons_completed} lessons completed, {day.reviews} reviews, "
            f"{day.corrections} corrections."
        )
    if day.reports_opened or day.reports_resolved:
        text = f"Reports: {day.reports_opened} opened, {day.reports_resolved} decided"
        if day.resolution_p50_seconds is not None:
            text += f", median time to decision {day.resolution_p50_seconds / 3600:.1f} h"
        parts.append(text + ".")
        if day.reports_opened > day.reports_resolved:
            parts.append("The report queue grew: more reports came in than were decided.")
    if day.new_users == 0:
        parts.append("No one signed up.")
    return " ".join(parts)[:MAX_SUMMARY]
