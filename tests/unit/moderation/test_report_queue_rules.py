"""Queue order of reports: severity, distinct reporters weighted by accuracy, age."""

from __future__ import annotations

import pytest

from hypehere.domain.moderation.model import ReportReason
from hypehere.domain.moderation.rules import credibility, evidence, queue_priority

pytestmark = pytest.mark.unit


def test_a_ring_of_fresh_accounts_does_not_outrank_one_accurate_reporter() -> None:
    accurate = [credibility(upheld=18, decided=20)]
    for ring_size in (5, 50, 500, 5000):
        ring = [credibility(0, 0)] * ring_size
        assert queue_priority(ReportReason.HARASSMENT, ring) < queue_priority(
            ReportReason.HARASSMENT, accurate
        ), ring_size


def test_a_ring_of_often_wrong_accounts_counts_even_less() -> None:
    wrong = [credibility(upheld=0, decided=30)] * 1000
    fresh = [credibility(0, 0)] * 1000
    assert evidence(wrong) < evidence(fresh)


def test_more_credible_reporters_raise_the_priority() -> None:
    one = [credibility(5, 10)]
    two = [credibility(5, 10), credibility(5, 10)]
    assert queue_priority(ReportReason.SPAM, two) > queue_priority(ReportReason.SPAM, one)


def test_severity_orders_equal_evidence() -> None:
    crowd = [credibility(1, 2)]
    order = [
        ReportReason.VIOLENCE,
        ReportReason.HATE,
        ReportReason.HARASSMENT,
        ReportReason.SPAM,
        ReportReason.OTHER,
    ]
    priorities = [queue_priority(reason, crowd) for reason in order]
    assert priorities == sorted(priorities, reverse=True)
    assert len(set(priorities)) == len(priorities)


def test_credibility_is_a_smoothed_share_upheld() -> None:
    assert credibility(0, 0) == pytest.approx(0.25)
    assert credibility(10, 10) > credibility(5, 10) > credibility(0, 10)
    assert 0 < credibility(0, 100) < credibility(0, 0)
    assert evidence([]) == 0.0
