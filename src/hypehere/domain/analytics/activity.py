"""The activity log: one row per product event (ids and figures only, never content), and
the pure aggregation of a day's rows (percentiles, per-language-pair figures, retention).

Kinds are the product actions analytics counts; `language_pair` is "xx-yy" (matching: the
two people's languages, sorted; learning: native then target language)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ActivityKind(StrEnum):
    SIGN_UP = "sign_up"
    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"
    MATCH = "match"
    ANONYMOUS_CHAT = "anonymous_chat"  # an anonymous conversation ended
    LESSON = "lesson"  # a lesson completed for the first time
    REVIEW = "review"
    CORRECTION = "correction"
    REPORT_OPENED = "report_opened"
    REPORT_DECIDED = "report_decided"


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityEvent:
    """One logged product event. `seconds`/`seconds_other`: a match's two waits, a chat's
    duration, a report's time to decision; `flag`: a chat ended revealed; `detail`: mode,
    end reason or decision (a short code, never text someone wrote)."""

    event_id: str
    kind: ActivityKind
    occurred_at: datetime
    user_id: str | None = None
    language_pair: str | None = None
    seconds: float | None = None
    seconds_other: float | None = None
    flag: bool | None = None
    detail: str | None = None


def pair_key(first: str, second: str, *, ordered: bool) -> str:
    """ "en-ko": sorted for a symmetric pair (two chat partners), else in the given order."""
    a, b = (first, second) if ordered else tuple(sorted((first, second)))
    return f"{a}-{b}"


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) by linear interpolation between closest ranks; None when
    there are no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5)


@dataclass(frozen=True, slots=True)
class MatchingDay:
    """A day's anonymous chat usage for one language pair."""

    day: date
    language_pair: str
    matches: int
    wait_p50_seconds: float | None
    wait_p90_seconds: float | None
    chats_ended: int
    duration_p50_seconds: float | None
    duration_p90_seconds: float | None
    reveals: int


@dataclass(frozen=True, slots=True)
class LearningDay:
    """A day's learning for one language pair (native, target)."""

    day: date
    language_pair: str
    lessons_completed: int
    reviews: int
    corrections: int


def matching_by_pair(day: date, events: Iterable[ActivityEvent]) -> list[MatchingDay]:
    """Matches (each contributes both people's waits) and ended chats per pair."""
    waits: dict[str, list[float]] = {}
    matches: dict[str, int] = {}
    durations: dict[str, list[float]] = {}
    reveals: dict[str, int] = {}
    for event in events:
        pair = event.language_pair or "unknown"
        if event.kind is ActivityKind.MATCH:
            matches[pair] = matches.get(pair, 0) + 1
            bucket = waits.setdefault(pair, [])
            bucket.extend(s for s in (event.seconds, event.seconds_other) if s is not None)
        elif event.kind is ActivityKind.ANONYMOUS_CHAT:
            durations.setdefault(pair, [])
            if event.seconds is not None:
                durations[pair].append(event.seconds)
            reveals[pair] = reveals.get(pair, 0) + (1 if event.flag else 0)
    rows = []
    for pair in sorted(set(matches) | set(durations)):
        pair_waits = waits.get(pair, [])
        pair_durations = durations.get(pair, [])
        rows.append(
            MatchingDay(
                day=day,
                language_pair=pair,
                matches=matches.get(pair, 0),
                wait_p50_seconds=percentile(pair_waits, 0.5),
                wait_p90_seconds=percentile(pair_waits, 0.9),
                chats_ended=len(pair_durations),
                duration_p50_seconds=percentile(pair_durations, 0.5),
                duration_p90_seconds=percentile(pair_durations, 0.9),
                reveals=reveals.get(pair, 0),
            )
        )
    return rows


def learning_by_pair(day: date, counts: dict[tuple[ActivityKind, str], int]) -> list[LearningDay]:
    """Rows from counts keyed by (kind, language pair)."""
    pairs = sorted(
        {
            pair
            for kind, pair in counts
            if kind in (ActivityKind.LESSON, ActivityKind.REVIEW, ActivityKind.CORRECTION)
        }
    )
    return [
        LearningDay(
            day=day,
            language_pair=pair,
            lessons_completed=counts.get((ActivityKind.LESSON, pair), 0),
            reviews=counts.get((ActivityKind.REVIEW, pair), 0),
            corrections=counts.get((ActivityKind.CORRECTION, pair), 0),
        )
        for pair in pairs
    ]


@dataclass(frozen=True, slots=True)
class TrendingPost:
    """One of a day's most engaged-with posts: likes and comments made that day (removed
    posts left out), ranked by their sum, then by likes, then by id."""

    day: date
    rank: int
    post_id: str
    likes: int
    comments: int


RETENTION_OFFSETS = (1, 7, 30)


@dataclass(frozen=True, slots=True)
class Cohort:
    """The people who signed up on `day` and how many of them were active (any logged
    product event) exactly 1, 7 and 30 days later; None until that day has been rolled up."""

    day: date
    size: int
    day1: int | None = None
    day7: int | None = None
    day30: int | None = None

    def rate(self, offset: int) -> float | None:
        retained = {1: self.day1, 7: self.day7, 30: self.day30}[offset]
        if retained is None or self.size == 0:
            return None
        return retained / self.size


def retained(cohort: set[str], active: set[str]) -> int:
    """How many of a cohort's users are among the day's active users."""
    return len(cohort & active)
