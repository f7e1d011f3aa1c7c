"""Corrections: who may correct what, listing, accepting (card + event), error profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hypehere.adapters.memory.learning import (
    InMemoryCorrections,
    InMemoryCorrectionTargets,
    InMemoryReviewCards,
)
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.application.common.actor import Actor
from hypehere.application.learning.accept_correction import (
    AcceptCorrection,
    AcceptCorrectionCommand,
)
from hypehere.application.learning.create_correction import (
    CreateCorrection,
    CreateCorrectionCommand,
)
from hypehere.application.learning.get_error_profile import (
    GetErrorProfile,
    GetErrorProfileCommand,
)
from hypehere.application.learning.list_corrections import (
    ListCorrections,
    ListCorrectionsCommand,
    ListReceivedCorrections,
    ListReceivedCorrectionsCommand,
)
from hypehere.application.learning.ports import CorrectionTargetText
from hypehere.domain.learning.corrections import CorrectionTarget
from hypehere.domain.learning.errors import (
    CannotCorrectOwnTextError,
    CorrectionAlreadyAcceptedError,
    CorrectionExistsError,
    CorrectionTargetNotFoundError,
    CorrectionUnchangedError,
    InvalidCorrectionError,
    NotNativeSpeakerError,
    NotTheAuthorError,
)
from hypehere.domain.learning.events import CorrectionAccepted
from tests.unit.learning.fakes import World

pytestmark = pytest.mark.unit

LEARNER = Actor(user_id="learner")  # native ko, learning en
NATIVE = Actor(user_id="native")  # native en
OTHER_KO = Actor(user_id="other-ko")


class Detector:
    def main_language(self, text: str) -> str | None:
        return "ja" if any("\u3040" <= ch <= "\u30ff" for ch in text) else None


class Setup:
    def __init__(self) -> None:
        self.w = World()
        self.w.learner("learner", "ko", "en", timezone="Asia/Seoul")
        self.w.learner("native", "en", "ko")
        self.w.learner("other-ko", "ko", "en")
        self.w.learner("native-ja", "ja", "ko")
        self.corrections = InMemoryCorrections()
        self.targets = InMemoryCorrectionTargets()
        self.cards = InMemoryReviewCards()
        self.outbox = InMemoryOutbox()
        self.targets.put(
            CorrectionTarget.POST,
            "p1",
            CorrectionTargetText(author_id="learner", text="I goed to school.", language="en"),
        )
        self.targets.put(
            CorrectionTarget.MESSAGE,
            "m1",
            CorrectionTargetText(
                author_id="learner", text="私は学校を行きました。", conversation_id="c1"
            ),
        )
        self.targets.members["c1"] = {"learner", "native-ja"}

    def create(self) -> CreateCorrection:
        w = self.w
        return CreateCorrection(
            w.uow, self.corrections, self.targets, w.learners, Detector(), self.outbox, w.clock
        )

    def accept(self) -> AcceptCorrection:
        return AcceptCorrection(self.w.uow, self.corrections, self.cards, self.outbox, self.w.clock)


def cmd(actor: Actor = NATIVE, **kw: str) -> CreateCorrectionCommand:
    values = {
        "target_type": "post",
        "target_id": "p1",
        "corrected_text": "I went to school.",
        "category": "grammar",
    }
    values.update(kw)
    return CreateCorrectionCommand(actor=actor, note="Past tense of go.", **values)


async def test_a_native_speaker_corrects_and_the_author_accepts() -> None:
    s = Setup()
    view = await s.create().execute(cmd())
    assert (view.language, view.author_id, view.corrector_id, view.category) == (
        "en",
        "learner",
        "native",
        "grammar",
    )
    assert [(x.start, x.end, x.original, x.replacement) for x in view.spans] == [
        (2, 6, "goed", "went")
    ]
    assert view.accepted_at is None
    with pytest.raises(NotTheAuthorError):
        await s.accept().execute(AcceptCorrectionCommand(actor=NATIVE, correction_id=view.id))
    s.w.clock.advance(hours=1)
    accepted = await s.accept().execute(
        AcceptCorrectionCommand(actor=LEARNER, correction_id=view.id)
    )
    assert accepted.correction.accepted_at == s.w.clock.now()
    card = accepted.card
    assert (card.source, card.front, card.back, card.language, card.state) == (
        "correction",
        "I goed to school.",
        "I went to school.",
        "en",
        "learning",
    )
    assert [c.user_id for c in s.cards.cards.values()] == ["learner"]
    proposed, message = s.outbox.messages
    # The proposal is logged for analytics with ids and languages only (no texts).
    assert proposed.payload == {
        "correction_id": view.id,
        "corrector_id": "native",
        "language_pair": ["en", "en"],
    }
    event = message.event(CorrectionAccepted)
    assert (event.correction_id, event.corrector_id, event.author_id) == (
        view.id,
        "native",
        "learner",
    )
    with pytest.raises(CorrectionAlreadyAcceptedError):
        await s.accept().execute(AcceptCorrectionCommand(actor=LEARNER, correction_id=view.id))
    assert len(s.cards.cards) == 1


async def test_who_may_correct() -> None:
    s = Setup()
    with pytest.raises(NotNativeSpeakerError):
        await s.create().execute(cmd(actor=OTHER_KO))
    with pytest.raises(CannotCorrectOwnTextError):
        await s.create().execute(cmd(actor=LEARNER))
    with pytest.raises(CorrectionTargetNotFoundError):
        await s.create().execute(cmd(target_id="nope"))
    with pytest.raises(CorrectionUnchangedError):
        await s.create().execute(cmd(corrected_text="  I goed to school. "))
    with pytest.raises(InvalidCorrectionError):
        await s.create().execute(cmd(category="style"))
    with pytest.raises(InvalidCorrectionError):
        await s.create().execute(cmd(target_type="profile"))
    await s.create().execute(cmd())
    with pytest.raises(CorrectionExistsError):
        await s.create().execute(cmd(corrected_text="I went to the school."))


async def test_a_message_is_corrected_by_a_participant_in_its_detected_language() -> None:
    s = Setup()
    view = await s.create().execute(
        cmd(
            actor=Actor(user_id="native-ja"),
            target_type="message",
            target_id="m1",
            corrected_text="私は学校に行きました。",
            category="grammar",
        )
    )
    assert view.language == "ja"
    assert [(x.original, x.replacement) for x in view.spans] == [("を", "に")]
    # Not a participant: the message does not exist for them.
    with pytest.raises(CorrectionTargetNotFoundError):
        await s.create().execute(cmd(target_type="message", target_id="m1"))


async def test_lists_and_error_profile_in_my_weeks() -> None:
    s = Setup()
    # 2026-03-01 is a Sunday; 23:30 UTC is Monday 08:30 in Seoul (the next ISO week).
    s.w.clock.set(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    first = await s.create().execute(cmd())
    s.w.clock.advance(minutes=1)
    s.w.learner("native-2", "en", "ja")
    second = await s.create().execute(
        cmd(
            actor=Actor(user_id="native-2"), corrected_text="I went to school!", category="spelling"
        )
    )
    listed = await ListCorrections(s.corrections, s.targets).execute(
        ListCorrectionsCommand(actor=OTHER_KO, target_type="post", target_id="p1", limit=1)
    )
    assert [c.id for c in listed.items] == [first.id]
    more = await ListCorrections(s.corrections, s.targets).execute(
        ListCorrectionsCommand(
            actor=OTHER_KO, target_type="post", target_id="p1", cursor=listed.next_cursor
        )
    )
    assert [c.id for c in more.items] == [second.id] and more.next_cursor is None
    received = await ListReceivedCorrections(s.corrections).execute(
        ListReceivedCorrectionsCommand(actor=LEARNER)
    )
    assert [c.id for c in received.items] == [second.id, first.id]
    for view in (first, second):
        await s.accept().execute(AcceptCorrectionCommand(actor=LEARNER, correction_id=view.id))
    profile = await GetErrorProfile(s.corrections, s.w.learners).execute(
        GetErrorProfileCommand(actor=LEARNER, language="en")
    )
    (week,) = profile.weeks
    assert week.week == "2026-03-02"  # Seoul's Monday, not UTC's Sunday
    assert week.counts == {
        "grammar": 1,
        "vocabulary": 0,
        "spelling": 1,
        "register": 0,
        "politeness": 0,
    }
    assert week.total == 2
    none = await GetErrorProfile(s.corrections, s.w.learners).execute(
        GetErrorProfileCommand(actor=LEARNER, language="ja")
    )
    assert none.weeks == []
