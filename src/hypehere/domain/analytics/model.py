"""Daily analytics: who visited (a visitor key, never a raw IP) and the day's aggregates."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from hypehere.domain.shared.errors import InvalidInputError

MAX_RANGE_DAYS = 366


class InvalidDateRangeError(InvalidInputError):
    code = "invalid_date_range"


def visitor_key(user_id: str | None, ip: str, user_agent: str, salt: bytes) -> str:
    """A signed-in visitor is counted by user id; anyone else by an HMAC of IP and user agent
    under the day's salt (the salt is discarded after the day, so keys never link days)."""
    if user_id is not None:
        return f"u:{user_id}"
    digest = hmac.new(salt, f"{ip}\n{user_agent}".encode(), hashlib.sha256).hexdigest()
    return f"a:{digest[:32]}"


def is_user_key(key: str) -> bool:
    return key.startswith("u:")


@dataclass(frozen=True, slots=True)
class DailyStats:
    """One UTC day's aggregates. `active_users`: distinct signed-in users seen that day;
    `matches`: anonymous conversations the matcher started that day. From the activity log:
    `dau`/`wau`/`mau` distinct users with a product event that day / in the 7 / 30 days
    ending that day; `anonymous_chats` anonymous conversations that ended; reports opened,
    decided (resolved or dismissed) and the median seconds from filing to decision."""

    day: date
    visitors: int
    active_users: int
    new_users: int
    posts: int
    comments: int
    messages: int
    matches: int
    dau: int = 0
    wau: int = 0
    mau: int = 0
    anonymous_chats: int = 0
    lessons_completed: int = 0
    reviews: int = 0
    corrections: int = 0
    reports_opened: int = 0
    reports_resolved: int = 0
    resolution_p50_seconds: float | None = None


def parse_day(text: str | None) -> date | None:
    """A `YYYY-MM-DD` query value (None when absent)."""
    if text is None:
        return None
    if len(text) != 10:
        raise InvalidDateRangeError("dates are YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDateRangeError("dates are YYYY-MM-DD") from None


def checked_range(start: date, end: date) -> tuple[date, date]:
    if end < start:
        raise InvalidDateRangeError("end is before start")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidDateRangeError(f"a range spans at most {MAX_RANGE_DAYS} days")
    return start, end


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


class InvalidGranularityError(InvalidInputError):
    code = "invalid_granularity"
