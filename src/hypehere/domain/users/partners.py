"""Language-partner policy: who may be suggested to whom, and in what order.

Candidates in, ranked suggestions out. Storage only *selects* candidates (a bounded pool,
see `PartnerCandidate`); everything decided here is pure and the same for every adapter,
and the matching module pairs people with the same rules.

A *seeker* speaks one native language and learns up to five target languages, in their
order of preference. A *candidate* is another user as the seeker sees them: their native
language, their CEFR level in the seeker's native language (what they learn from the
seeker) and when they were last active.

Eligible: someone other than the seeker whose native language is one of the seeker's
targets (a candidate learns the seeker's native language by construction: it carries the
level in it).

Score, higher first, in three parts that never overlap (so they rank lexicographically):

- language fit x 100: 5 for the seeker's first target language, 4 for the second ... 1 for
  the fifth;
- level fit x 10: 6 - |seeker's level in the candidate's native language - candidate's
  level in the seeker's native language| on the CEFR ranks (A1=0 ... C2=5): 6 for the same
  level, 1 for A1 against C2;
- activity, 0-3: 3 when last active within a day of `now`, 2 within a week, 1 within 30
  days, 0 otherwise or never.

Ties are broken by user id, descending. `PartnerSuggestion.key` is (score, user id) and is
unique per candidate, so the ranking is a total order and a keyset cursor over it (the key
of the last row shown, plus the `now` the scores were computed at) resumes exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.users.model import TargetLanguage
from hypehere.domain.users.rules import MAX_TARGET_LANGUAGES

LANGUAGE_WEIGHT = 100
LEVEL_WEIGHT = 10
MAX_LEVEL_FIT = len(CefrLevel)
ACTIVITY_WINDOWS: tuple[tuple[timedelta, int], ...] = (
    (timedelta(days=1), 3),
    (timedelta(days=7), 2),
    (timedelta(days=30), 1),
)
CANDIDATE_POOL = 1000
"""How many candidates storage hands to the ranking (the most recently active ones); the
suggestions are exact whenever fewer match, and the long inactive tail is cut otherwise."""


@dataclass(frozen=True, slots=True)
class PartnerSeeker:
    """The user asking for partners: native language and target languages, in order."""

    user_id: str
    native_language: str
    target_languages: tuple[TargetLanguage, ...]

    def preference(self, language: str) -> tuple[int, CefrLevel] | None:
        """(position, my level) of `language` among my targets, the first entry if listed
        twice; None when I do not learn it."""
        for position, target in enumerate(self.target_languages):
            if target.language == language:
                return position, target.level
        return None


@dataclass(frozen=True, slots=True)
class PartnerCandidate:
    """Another user, as seen by one seeker.

    `learning_level` is the candidate's level in the seeker's native language: storage
    selects only users who learn it, and supplies at most `CANDIDATE_POOL` of them."""

    user_id: str
    native_language: str
    learning_level: CefrLevel
    last_active_at: datetime | None


@dataclass(frozen=True, slots=True, order=True)
class PartnerSuggestion:
    """A ranked candidate. Ordering compares `key`; rankings run from the highest key."""

    score: int
    user_id: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.score, self.user_id)


def is_eligible(seeker: PartnerSeeker, candidate: PartnerCandidate) -> bool:
    """Someone else whose native language the seeker learns."""
    return (
        candidate.user_id != seeker.user_id
        and seeker.preference(candidate.native_language) is not None
    )


def language_fit(position: int) -> int:
    """5 for the first target language ... 1 for the fifth (0 beyond, never negative)."""
    return max(MAX_TARGET_LANGUAGES - position, 0)


def level_fit(mine: CefrLevel, theirs: CefrLevel) -> int:
    """6 when both learn at the same level, down to 1 for A1 against C2."""
    return MAX_LEVEL_FIT - abs(mine.rank - theirs.rank)


def activity(last_active_at: datetime | None, now: datetime) -> int:
    """3 active within a day, 2 within a week, 1 within 30 days, else 0 (never active: 0)."""
    if last_active_at is None:
        return 0
    for window, points in ACTIVITY_WINDOWS:
        if last_active_at >= now - window:
            return points
    return 0


def score(seeker: PartnerSeeker, candidate: PartnerCandidate, now: datetime) -> int | None:
    """The candidate's score for this seeker at `now`; None when not eligible."""
    if candidate.user_id == seeker.user_id:
        return None
    preference = seeker.preference(candidate.native_language)
    if preference is None:
        return None
    position, my_level = preference
    return (
        language_fit(position) * LANGUAGE_WEIGHT
        + level_fit(my_level, candidate.learning_level) * LEVEL_WEIGHT
        + activity(candidate.last_active_at, now)
    )


def rank_partners(
    seeker: PartnerSeeker,
    candidates: Iterable[PartnerCandidate],
    now: datetime,
    *,
    after: tuple[int, str] | None = None,
) -> list[PartnerSuggestion]:
    """The eligible candidates, best first (highest `key`); ineligible ones and repeats of
    a user id are dropped. With `after` (the key of the last suggestion already shown),
    only the suggestions ranked below it."""
    seen: set[str] = set()
    ranked: list[PartnerSuggestion] = []
    for candidate in candidates:
        if candidate.user_id in seen:
            continue
        seen.add(candidate.user_id)
        points = score(seeker, candidate, now)
        if points is None:
            continue
        suggestion = PartnerSuggestion(score=points, user_id=candidate.user_id)
        if after is None or suggestion.key < after:
            ranked.append(suggestion)
    ranked.sort(reverse=True)
    return ranked
