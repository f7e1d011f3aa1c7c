"""Queue order of open reports: severity of the reason, then the evidence behind the target
(its distinct reporters, weighted by how often each reporter was right), then age.

A reporter's credibility is the share of their decided reports that were upheld, smoothed
towards a low prior (`PRIOR_UPHELD` of `PRIOR_DECIDED`), so a fresh account counts little
and a reporter with a long accurate record counts a lot. The evidence of a target is its
most credible reporter plus a bonus that grows with the logarithm of the number of
distinct reporters, scaled by their mean credibility: a ring of fresh or often-wrong
accounts adds little however large it is, and cannot outrank one accurate reporter."""

from __future__ import annotations

import math
from collections.abc import Sequence

from hypehere.domain.moderation.model import ReportReason

SEVERITY: dict[ReportReason, int] = {
    ReportReason.VIOLENCE: 5,
    ReportReason.HATE: 4,
    ReportReason.HARASSMENT: 3,
    ReportReason.NSFW: 3,
    ReportReason.SPAM: 2,
    ReportReason.OTHER: 1,
}

PRIOR_UPHELD = 1
PRIOR_DECIDED = 4
CROWD_BONUS = 0.1
PRIORITY_SCALE = 1_000_000


def credibility(upheld: int, decided: int) -> float:
    """Smoothed share of a reporter's decided reports that were upheld (0..1)."""
    return (upheld + PRIOR_UPHELD) / (decided + PRIOR_DECIDED)


def evidence(credibilities: Sequence[float]) -> float:
    """How much the distinct reporters of one target (one credibility each) say together."""
    if not credibilities:
        return 0.0
    mean = sum(credibilities) / len(credibilities)
    return max(credibilities) + CROWD_BONUS * math.log1p(len(credibilities)) * mean


def queue_priority(reason: ReportReason, credibilities: Sequence[float]) -> int:
    """The stored queue score of a report (higher first; ties go to the oldest)."""
    return round(SEVERITY[reason] * evidence(credibilities) * PRIORITY_SCALE)
