"""The pairing policy (domain/matching/policy.py): properties over generated queues, and
the worked example of the module docstring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hypehere.domain.matching.model import (
    MAX_PRIORITY,
    MIN_PRIORITY,
    ChatMode,
    LearnedLanguage,
    QueueEntry,
    Standing,
)
from hypehere.domain.matching.policy import (
    Exclusions,
    Fit,
    candidate_key,
    fit,
    pair_key,
    plan_round,
    scarcity,
)
from hypehere.domain.shared.languages import CefrLevel

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
LANGUAGES = ("ko", "en", "ja", "es")

standings = st.builds(
    lambda chats, replied, early, reports: Standing(
        chats=chats,
        replied=min(replied, chats),
        early_leaves=min(early, chats),
        upheld_reports=reports,
    ),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 3),
)


@st.composite
def entries(draw: st.DrawFn, user_id: str) -> QueueEntry:
    native = draw(st.sampled_from(LANGUAGES))
    others = [lang for lang in LANGUAGES if lang != native]
    targets = draw(st.lists(st.sampled_from(others), unique=True, min_size=1, max_size=3))
    return QueueEntry(
        user_id=user_id,
        native_language=native,
        targets=tuple(
            LearnedLanguage(language=t, level=draw(st.sampled_from(list(CefrLevel))))
            for t in targets
        ),
        mode=draw(st.sampled_from(list(ChatMode))),
        joined_at=NOW - timedelta(seconds=draw(st.integers(0, 900))),
        standing=draw(standings),
    )


@st.composite
def queues(draw: st.DrawFn) -> tuple[list[QueueEntry], Exclusions]:
    size = draw(st.integers(0, 24))
    waiting = [draw(entries(f"u{i:02d}")) for i in range(size)]
    ids = [e.user_id for e in waiting]
    some_pairs = (
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).map(lambda p: pair_key(*p)),
            max_size=10,
        )
        if ids
        else st.just([])
    )
    exclusions = Exclusions(
        blocked=frozenset(draw(some_pairs)),
        recent=frozenset(draw(some_pairs)),
        barred=frozenset(draw(st.lists(st.sampled_from(ids), max_size=3)) if ids else ()),
    )
    return waiting, exclusions


def entry(
    user_id: str,
    native: str,
    learns: dict[str, CefrLevel],
    waited: float,
    *,
    mode: ChatMode = ChatMode.TEXT,
    standing: Standing | None = None,
) -> QueueEntry:
    return QueueEntry(
        user_id=user_id,
        native_language=native,
        targets=tuple(LearnedLanguage(lang, level) for lang, level in learns.items()),
        mode=mode,
        joined_at=NOW - timedelta(seconds=waited),
        standing=standing or Standing(),
    )


@given(queues())
@settings(max_examples=300)
def test_never_a_forbidden_pair_and_everyone_at_most_once(
    queue: tuple[list[QueueEntry], Exclusions],
) -> None:
    waiting, exclusions = queue
    pairs = plan_round(waiting, exclusions, NOW)
    seen: list[str] = []
    for pair in pairs:
        first, second = pair.chooser, pair.partner
        assert first.user_id != second.user_id
        assert first.mode is second.mode
        assert exclusions.allows(first.user_id, second.user_id)
        assert fit(first, second) is pair.fit is not None
        seen.extend(pair.user_ids)
    assert len(seen) == len(set(seen))


@given(queues())
@settings(max_examples=300)
def test_nobody_waits_while_a_fitting_partner_waits(
    queue: tuple[list[QueueEntry], Exclusions],
) -> None:
    waiting, exclusions = queue
    paired = {uid for pair in plan_round(waiting, exclusions, NOW) for uid in pair.user_ids}
    left = [e for e in waiting if e.user_id not in paired]
    for i, first in enumerate(left):
        for second in left[i + 1 :]:
            assert fit(first, second) is None or not exclusions.allows(
                first.user_id, second.user_id
            ), (first.user_id, second.user_id)


@given(queues())
@settings(max_examples=300)
def test_each_chooser_takes_the_best_partner_still_free(
    queue: tuple[list[QueueEntry], Exclusions],
) -> None:
    """Complementary before one-sided, then wait, then level gap: at its turn the chooser's
    partner has the highest key among everyone still free and allowed."""
    waiting, exclusions = queue
    taken: set[str] = set()
    for pair in plan_round(waiting, exclusions, NOW):
        chosen = candidate_key(pair.chooser, pair.partner, NOW)
        for other in waiting:
            if other.user_id in taken or other.user_id == pair.chooser.user_id:
                continue
            if fit(pair.chooser, other) is None:
                continue
            if not exclusions.allows(pair.chooser.user_id, other.user_id):
                continue
            assert candidate_key(pair.chooser, other, NOW) <= chosen
        taken.update(pair.user_ids)


@given(
    learners=st.lists(
        st.tuples(st.sampled_from(("ko", "ja", "es")), st.integers(1, 900)), min_size=2, max_size=12
    )
)
@settings(max_examples=200)
def test_a_scarce_speaker_goes_to_the_longest_waiting_reciprocating_learner(
    learners: list[tuple[str, int]],
) -> None:
    """One English speaker who learns Korean; many English learners. The speaker is paired
    with the Korean native (a learner who reciprocates) who waited longest, whoever else
    waited longer."""
    speaker = entry("speaker", "en", {"ko": CefrLevel.B1}, waited=1)
    queue = [speaker] + [
        entry(f"l{i:02d}", native, {"en": CefrLevel.A2}, waited=waited)
        for i, (native, waited) in enumerate(learners)
    ]
    pairs = plan_round(queue, Exclusions(), NOW)
    partner = next(
        (p.partner if p.chooser is speaker else p.chooser) for p in pairs if "speaker" in p.user_ids
    )
    reciprocating = [e for e in queue[1:] if e.native_language == "ko"]
    pool = reciprocating or queue[1:]

    def longest_first(e: QueueEntry) -> tuple[float, float, str]:
        waited = e.waited_seconds(NOW)
        return (waited // 30, waited, e.user_id)

    assert partner is max(pool, key=longest_first)


def test_scarce_speakers_take_their_turn_before_the_learners() -> None:
    speakers = [entry(f"en{i}", "en", {"ko": CefrLevel.B1}, waited=1) for i in range(2)]
    learners = [entry(f"ko{i}", "ko", {"en": CefrLevel.A2}, waited=100 + i) for i in range(10)]
    assert scarcity(speakers + learners)["en"] == 5.0
    pairs = plan_round(learners + speakers, Exclusions(), NOW)
    assert [p.chooser.user_id for p in pairs] == ["en0", "en1"]
    assert {p.partner.user_id for p in pairs} == {"ko9", "ko8"}


def test_complementary_beats_a_longer_one_sided_wait_and_level_gap_breaks_ties() -> None:
    speaker = entry("speaker", "en", {"ko": CefrLevel.B1}, waited=0)
    one_sided = entry("yuki", "ja", {"en": CefrLevel.B1}, waited=800)
    far = entry("far", "ko", {"en": CefrLevel.C2}, waited=95)
    near = entry("near", "ko", {"en": CefrLevel.B2}, waited=91)
    pairs = plan_round([speaker, one_sided, far, near], Exclusions(), NOW)
    first = pairs[0]
    assert first.chooser is speaker
    assert first.partner is near  # same 30 s bucket as `far`, one level apart instead of three
    assert first.fit is Fit.COMPLEMENTARY


def test_the_worked_example_of_the_module_docstring() -> None:
    speaker = entry("speaker", "en", {"ko": CefrLevel.B1}, waited=0)
    mina = entry(
        "mina",
        "ko",
        {"en": CefrLevel.B1},
        waited=100,
        standing=Standing(chats=10, replied=9, early_leaves=1),
    )
    jun = entry("jun", "ko", {"en": CefrLevel.B1}, waited=150)
    yuki = entry("yuki", "ja", {"en": CefrLevel.B1}, waited=400)
    assert round(mina.standing.priority(), 2) == 1.25
    assert plan_round([speaker, mina, jun, yuki], Exclusions(), NOW)[0].partner is jun

    patient_mina = entry(
        "mina",
        "ko",
        {"en": CefrLevel.B1},
        waited=130,
        standing=Standing(chats=10, replied=9, early_leaves=1),
    )
    assert (
        plan_round([speaker, patient_mina, jun, yuki], Exclusions(), NOW)[0].partner is patient_mina
    )


def test_exclusions_and_modes_are_never_crossed() -> None:
    a = entry("a", "en", {"ko": CefrLevel.A1}, waited=10)
    b = entry("b", "ko", {"en": CefrLevel.A1}, waited=10)
    video = entry("c", "ko", {"en": CefrLevel.A1}, waited=10, mode=ChatMode.VIDEO)
    assert plan_round([a, b], Exclusions(blocked=frozenset({pair_key("b", "a")})), NOW) == []
    assert plan_round([a, b], Exclusions(recent=frozenset({pair_key("a", "b")})), NOW) == []
    assert plan_round([a, b], Exclusions(barred=frozenset({"b"})), NOW) == []
    assert plan_round([a, video], Exclusions(), NOW) == []
    assert [p.user_ids for p in plan_round([a, b, video], Exclusions(), NOW)] in (
        [("a", "b")],
        [("b", "a")],
    )


def test_a_user_queued_twice_is_paired_once() -> None:
    a = entry("a", "en", {"ko": CefrLevel.A1}, waited=10)
    again = entry("a", "en", {"ko": CefrLevel.A1}, waited=5)
    b = entry("b", "ko", {"en": CefrLevel.A1}, waited=10)
    c = entry("c", "ko", {"en": CefrLevel.A1}, waited=9)
    pairs = plan_round([a, again, b, c], Exclusions(), NOW)
    assert len(pairs) == 1


@given(standings)
def test_priority_is_bounded_and_a_newcomer_counts_one(standing: Standing) -> None:
    assert MIN_PRIORITY <= standing.priority() <= MAX_PRIORITY
    assert Standing().priority() == 1.0


@given(standings, st.integers(1, 10))
def test_priority_rises_with_replies_and_falls_with_early_leaves_and_reports(
    standing: Standing, more: int
) -> None:
    replied_more = Standing(
        chats=standing.chats + more,
        replied=standing.replied + more,
        early_leaves=standing.early_leaves,
        upheld_reports=standing.upheld_reports,
    )
    left_more = Standing(
        chats=standing.chats,
        replied=standing.replied,
        early_leaves=standing.early_leaves + more,
        upheld_reports=standing.upheld_reports,
    )
    reported = Standing(
        chats=standing.chats,
        replied=standing.replied,
        early_leaves=standing.early_leaves,
        upheld_reports=standing.upheld_reports + 1,
    )
    assert replied_more.priority() >= standing.priority()
    assert left_more.priority() <= standing.priority()
    assert reported.priority() <= standing.priority()
    assert Standing(chats=20, replied=20).priority() > Standing().priority()
    assert Standing(chats=20, early_leaves=20).priority() < Standing().priority()
