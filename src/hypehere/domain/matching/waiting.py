"""What a waiting user is told: their place in line and how long it may take."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import median

from hypehere.domain.matching.model import QueueEntry

DEFAULT_WAIT_SECONDS = 60
"""The wait assumed per place in line while no recent match of the language pair is known."""
MAX_ESTIMATE_SECONDS = 3600
RECENT_WAITS = 50
"""How many of the latest waits of a language pair the estimate looks at."""


def language_pair(entry: QueueEntry) -> tuple[str, str]:
    """(native language, first target language): the line an entry waits in, and the key
    of the wait statistics. An entry without targets waits in (native, native)."""
    first = entry.targets[0].language if entry.targets else entry.native_language
    return (entry.native_language, first)


def queue_position(entry: QueueEntry, entries: Iterable[QueueEntry]) -> int:
    """1 + the entries ahead in the same line: same mode and language pair, queued earlier
    (ties by user id). Other lines do not count: they compete for other partners."""
    line = language_pair(entry)
    ahead = sum(
        1
        for other in entries
        if other.user_id != entry.user_id
        and other.mode is entry.mode
        and language_pair(other) == line
        and (other.joined_at, other.user_id) < (entry.joined_at, entry.user_id)
    )
    return ahead + 1


def estimate_wait_seconds(recent_waits: Sequence[float], position: int) -> int:
    """The median of the line's latest waits (at most `RECENT_WAITS`) for each place in
    line, `DEFAULT_WAIT_SECONDS` per place while there is no history; at most an hour."""
    places = max(position, 1)
    latest = list(recent_waits)[-RECENT_WAITS:]
    per_place = median(latest) if latest else DEFAULT_WAIT_SECONDS
    return int(min(round(per_place * places), MAX_ESTIMATE_SECONDS))
