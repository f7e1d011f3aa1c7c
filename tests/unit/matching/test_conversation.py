"""The anonymous conversation: leaving, ending, the reveal, and the standing it feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hypehere.domain.matching.conversation import (
    AnonymousConversation,
    RevealOutcome,
    standing_of,
)
from hypehere.domain.matching.errors import AnonymousConversationNotFoundError
from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry, Standing
from hypehere.domain.matching.policy import Fit, Pair
from hypehere.domain.shared.languages import CefrLevel

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def conversation(
    conversation_id: str = "c1", a: str = "ana", b: str = "ben"
) -> AnonymousConversation:
    first = QueueEntry(a, "es", (LearnedLanguage("en", CefrLevel.B1),), ChatMode.TEXT, T0)
    second = QueueEntry(b, "en", (LearnedLanguage("es", CefrLevel.A2),), ChatMode.TEXT, T0)
    return AnonymousConversation.open(conversation_id, Pair(first, second, Fit.COMPLEMENTARY), T0)


def test_it_ends_when_both_have_left() -> None:
    c = conversation()
    assert not c.leave("ana", T0 + timedelta(seconds=5))
    assert not c.leave("ana", T0 + timedelta(seconds=6))  # leaving twice changes nothing
    assert c.participant("ana").left_at == T0 + timedelta(seconds=5)
    assert not c.ended
    assert c.leave("ben", T0 + timedelta(seconds=7))
    assert c.ended_at == T0 + timedelta(seconds=7)
    assert not c.end(T0 + timedelta(seconds=8))


def test_strangers_are_not_found() -> None:
    c = conversation()
    with pytest.raises(AnonymousConversationNotFoundError):
        c.participant("eve")
    with pytest.raises(AnonymousConversationNotFoundError):
        c.leave("eve", T0)


def test_reveal_needs_both_and_a_decline_resets_it() -> None:
    c = conversation()
    assert c.decline_reveal("ben") is RevealOutcome.IGNORED  # nothing pending
    assert c.accept_reveal("ana", T0) is RevealOutcome.REQUESTED
    assert c.accept_reveal("ana", T0) is RevealOutcome.IGNORED  # repeated
    assert c.decline_reveal("ben") is RevealOutcome.DECLINED
    assert not c.participant("ana").reveal_accepted
    assert c.accept_reveal("ben", T0) is RevealOutcome.REQUESTED
    assert c.accept_reveal("ana", T0 + timedelta(seconds=1)) is RevealOutcome.REVEALED
    assert c.revealed and c.revealed_at == T0 + timedelta(seconds=1)
    assert c.accept_reveal("ben", T0) is RevealOutcome.IGNORED
    assert c.decline_reveal("ana") is RevealOutcome.IGNORED


def test_standing_counts_ended_chats_replies_and_early_leaves() -> None:
    answered = conversation("c1")
    assert answered.record_message("ana")
    assert not answered.record_message("ana")
    answered.leave("ben", T0 + timedelta(minutes=10))
    answered.leave("ana", T0 + timedelta(minutes=11))
    quick_exit = conversation("c2")
    quick_exit.leave("ana", T0 + timedelta(seconds=20))  # first to leave, within a minute
    quick_exit.leave("ben", T0 + timedelta(seconds=30))
    partner_left_first = conversation("c3")
    partner_left_first.leave("ben", T0 + timedelta(seconds=10))
    partner_left_first.leave("ana", T0 + timedelta(seconds=20))
    still_open = conversation("c4")
    still_open.record_message("ana")
    other_people = conversation("c5", "cy", "dee")
    other_people.end(T0)
    history = [answered, quick_exit, partner_left_first, still_open, other_people]
    assert standing_of("ana", history) == Standing(chats=3, replied=1, early_leaves=1)
    assert standing_of("ben", history) == Standing(chats=3, replied=0, early_leaves=1)
    assert standing_of("nobody", history) == Standing()
