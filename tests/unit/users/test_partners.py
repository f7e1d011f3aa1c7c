"""The language-partner policy (domain/users/partners.py): properties over any candidates,
and the worked examples of the score."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.users.model import TargetLanguage
from hypehere.domain.users.partners import (
    PartnerCandidate,
    PartnerSeeker,
    PartnerSuggestion,
    activity,
    is_eligible,
    level_fit,
    rank_partners,
    score,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LANGUAGES = ("ko", "en", "ja", "es", "fr", "de", "zh")
LEVEL_RANK = {"A1": 0, "A2": 1, "B1": 2, "B2": 3, "C1": 4, "C2": 5}

levels = st.sampled_from(list(CefrLevel))
ages = st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)))


@st.composite
def seekers(draw: st.DrawFn) -> PartnerSeeker:
    native = draw(st.sampled_from(LANGUAGES))
    others = [lang for lang in LANGUAGES if lang != native]
    targets = draw(st.lists(st.sampled_from(others), unique=True, max_size=5))
    return PartnerSeeker(
        user_id="seeker",
        native_language=native,
        target_languages=tuple(TargetLanguage(lang, draw(levels)) for lang in targets),
    )


@st.composite
def candidate_lists(draw: st.DrawFn) -> list[PartnerCandidate]:
    ids = draw(
        st.lists(st.sampled_from([f"u{i:02d}" for i in range(40)] + ["seeker"]), max_size=30)
    )
    out = []
    for user_id in ids:
        age = draw(ages)
        out.append(
            PartnerCandidate(
                user_id=user_id,
                native_language=draw(st.sampled_from(LANGUAGES)),
                learning_level=draw(levels),
                last_active_at=None if age is None else NOW - age,
            )
        )
    return out


def reference_score(seeker: PartnerSeeker, c: PartnerCandidate, now: datetime) -> int | None:
    """The formula as the SQL and the in-memory reader both wrote it before it moved."""
    targets = [t.language for t in seeker.target_languages]
    if c.user_id == seeker.user_id or c.native_language not in targets:
        return None
    position = targets.index(c.native_language)
    mine = seeker.target_languages[position].level.value
    diff = abs(LEVEL_RANK[mine] - LEVEL_RANK[c.learning_level.value])
    last = c.last_active_at
    recent = 0
    if last is not None:
        if last >= now - timedelta(days=1):
            recent = 3
        elif last >= now - timedelta(days=7):
            recent = 2
        elif last >= now - timedelta(days=30):
            recent = 1
    return (5 - position) * 100 + (6 - diff) * 10 + recent


@given(seekers(), candidate_lists())
def test_ranking_is_the_eligible_candidates_once_each_best_first(
    seeker: PartnerSeeker, candidates: list[PartnerCandidate]
) -> None:
    ranked = rank_partners(seeker, candidates, NOW)
    first_of = {}
    for c in candidates:
        first_of.setdefault(c.user_id, c)
    eligible = {uid for uid, c in first_of.items() if is_eligible(seeker, c)}
    assert [s.user_id for s in ranked if s.user_id in eligible] == [s.user_id for s in ranked]
    assert {s.user_id for s in ranked} == eligible
    assert len(ranked) == len(eligible)
    keys = [s.key for s in ranked]
    assert keys == sorted(keys, reverse=True)
    for s in ranked:
        assert s.score == reference_score(seeker, first_of[s.user_id], NOW)


@given(seekers(), candidate_lists(), st.randoms(use_true_random=False))
def test_ranking_ignores_the_order_candidates_arrive_in(
    seeker: PartnerSeeker, candidates: list[PartnerCandidate], rnd: random.Random
) -> None:
    unique = list({c.user_id: c for c in reversed(candidates)}.values())
    shuffled = unique[:]
    rnd.shuffle(shuffled)
    assert rank_partners(seeker, shuffled, NOW) == rank_partners(seeker, unique, NOW)


@given(seekers(), candidate_lists(), st.integers(min_value=1, max_value=7))
def test_pages_resumed_after_a_key_add_up_to_the_whole_ranking(
    seeker: PartnerSeeker, candidates: list[PartnerCandidate], size: int
) -> None:
    full = rank_partners(seeker, candidates, NOW)
    seen: list[PartnerSuggestion] = []
    after = None
    while True:
        page = rank_partners(seeker, candidates, NOW, after=after)[:size]
        seen += page
        if len(page) < size:
            break
        after = page[-1].key
    assert seen == full


@given(seekers(), candidate_lists())
def test_an_earlier_target_language_always_ranks_first(
    seeker: PartnerSeeker, candidates: list[PartnerCandidate]
) -> None:
    order = {t.language: i for i, t in enumerate(seeker.target_languages)}
    ranked = rank_partners(seeker, candidates, NOW)
    natives = {c.user_id: c.native_language for c in reversed(candidates)}
    positions = [order[natives[s.user_id]] for s in ranked]
    assert positions == sorted(positions)


@given(levels, levels, ages, ages)
def test_closer_levels_and_recent_activity_never_score_lower(
    mine: CefrLevel, theirs: CefrLevel, a: timedelta | None, b: timedelta | None
) -> None:
    assert 1 <= level_fit(mine, theirs) <= 6
    assert level_fit(mine, mine) == 6
    assert level_fit(mine, theirs) == level_fit(theirs, mine)
    at_a = None if a is None else NOW - a
    at_b = None if b is None else NOW - b
    if at_a is not None and (at_b is None or at_a >= at_b):
        assert activity(at_a, NOW) >= activity(at_b, NOW)


def test_worked_examples() -> None:
    seeker = PartnerSeeker(
        "me", "ko", (TargetLanguage("en", CefrLevel.B1), TargetLanguage("ja", CefrLevel.A1))
    )
    close = PartnerCandidate("a", "en", CefrLevel.B1, NOW)
    far = PartnerCandidate("b", "en", CefrLevel.C2, NOW - timedelta(days=7))
    japanese = PartnerCandidate("c", "ja", CefrLevel.C2, NOW - timedelta(days=30))
    stranger = PartnerCandidate("d", "es", CefrLevel.B1, NOW)
    myself = PartnerCandidate("me", "en", CefrLevel.B1, NOW)
    assert score(seeker, close, NOW) == 5 * 100 + 6 * 10 + 3
    assert score(seeker, far, NOW) == 5 * 100 + 3 * 10 + 2
    assert score(seeker, japanese, NOW) == 4 * 100 + 1 * 10 + 1
    assert score(seeker, stranger, NOW) is None
    assert score(seeker, myself, NOW) is None
    ranked = rank_partners(seeker, [japanese, stranger, far, myself, close], NOW)
    assert [s.user_id for s in ranked] == ["a", "b", "c"]
    assert rank_partners(seeker, [close, far, japanese], NOW, after=ranked[0].key) == ranked[1:]


def test_activity_windows_include_their_edges() -> None:
    assert activity(None, NOW) == 0
    assert activity(NOW + timedelta(hours=1), NOW) == 3
    assert activity(NOW - timedelta(days=1), NOW) == 3
    assert activity(NOW - timedelta(days=1, microseconds=1), NOW) == 2
    assert activity(NOW - timedelta(days=7), NOW) == 2
    assert activity(NOW - timedelta(days=30), NOW) == 1
    assert activity(NOW - timedelta(days=30, microseconds=1), NOW) == 0


@settings(max_examples=50)
@given(seekers())
def test_ties_on_score_break_by_user_id_descending(seeker: PartnerSeeker) -> None:
    if not seeker.target_languages:
        return
    first = seeker.target_languages[0]
    twins = [PartnerCandidate(f"u{i}", first.language, first.level, NOW) for i in (3, 1, 2)]
    assert [s.user_id for s in rank_partners(seeker, twins, NOW)] == ["u3", "u2", "u1"]
