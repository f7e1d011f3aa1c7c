"""The fail-closed check of an anonymous chat's first messages: the use case relays a
participant's first message only on a SAFE answer (and checks only first messages), and the
classifier adapter answers UNAVAILABLE when the classifier is down or does not answer in
time, never SAFE without a verdict."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import msgspec
import pytest

from hypehere.adapters.memory.transcripts import InMemoryAnonymousTranscripts
from hypehere.adapters.moderation.rules import RulesClassifier
from hypehere.adapters.modules.matching_first_message import ClassifierFirstMessageCheck
from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher, decode_envelope
from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.matching.anonymous_messages import (
    CheckFirstAnonymousMessage,
    CheckFirstAnonymousMessageCommand,
    FirstMessageUncheckedError,
    RecordFirstAnonymousMessage,
    RecordFirstAnonymousMessageCommand,
    SendAnonymousMessage,
    SendAnonymousMessageCommand,
)
from hypehere.application.matching.anonymous_seat import AnonymousSeat
from hypehere.application.matching.frames import AnonymousAckFrame, MessageRejectedFrame
from hypehere.application.matching.ports import FirstMessageCheck, FirstMessageVerdict
from hypehere.application.matching.run_matcher import RunMatcherCommand
from hypehere.application.matching.transcript_ports import AnonymousTranscripts
from hypehere.application.moderation.classifier_ports import ClassifierUnavailableError
from hypehere.domain.moderation.verdicts import ClassifyContext, Verdict
from tests.unit.matching.test_use_cases import World
from tests.unit.matching.test_use_cases import world as world  # the matching fixture

pytestmark = pytest.mark.unit


class RecordingBroker:
    def __init__(self) -> None:
        self.published: list[tuple[str, bytes]] = []

    async def publish(self, topic: str, data: bytes) -> None:
        self.published.append((topic, data))

    def subscribe(self, *topics: str) -> Any:
        raise NotImplementedError

    def relayed(self, conversation_id: str) -> list[str]:
        """The contents of the `message` frames published for the conversation."""
        topic = anonymous_conversation_topic(conversation_id)
        found = []
        for published_topic, data in self.published:
            frame = msgspec.json.decode(bytes(decode_envelope(data).frame))
            if published_topic == topic and frame["type"] == "message":
                found.append(frame["message"]["content"])
        return found


class ScriptedCheck:
    def __init__(self, *answers: FirstMessageVerdict) -> None:
        self.answers = list(answers)
        self.checked: list[str] = []

    async def check(self, text: str) -> FirstMessageVerdict:
        self.checked.append(text)
        return self.answers.pop(0)


class DownClassifier:
    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        raise ClassifierUnavailableError("down")


class SilentClassifier:
    """Never answers (a hung upstream)."""

    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def _conversation(world: World) -> str:
    await world.join("ko1")
    await world.join("en1")
    [conversation_id] = (await world.matcher().execute(RunMatcherCommand())).conversation_ids
    return conversation_id


class Relay:
    """A message as `/ws/anonymous-chat` handles it: checked while the seat has not
    replied, relayed, and a first message recorded."""

    def __init__(
        self,
        world: World,
        check: FirstMessageCheck,
        transcripts: AnonymousTranscripts,
        broker: RecordingBroker,
    ) -> None:
        self.first = CheckFirstAnonymousMessage(check)
        self.send = SendAnonymousMessage(RealtimePublisher(broker), world.clock, transcripts)
        self.record = RecordFirstAnonymousMessage(world.uow, world.conversations)

    async def say(
        self, seat: AnonymousSeat, content: str, client_id: str | None = None
    ) -> AnonymousAckFrame | MessageRejectedFrame:
        first = not seat.replied
        rejected = await self.first.execute(
            CheckFirstAnonymousMessageCommand(seat=seat, content=content, client_id=client_id)
        )
        if rejected is not None:
            return rejected
        ack = await self.send.execute(
            SendAnonymousMessageCommand(
                seat=seat, content=content, client_id=client_id, checked=first
            )
        )
        if first:
            await self.record.execute(
                RecordFirstAnonymousMessageCommand(
                    actor=Actor(seat.user_id), conversation_id=seat.conversation_id
                )
            )
        return ack


@pytest.mark.parametrize("answer", [FirstMessageVerdict.FLAGGED, FirstMessageVerdict.UNAVAILABLE])
async def test_a_first_message_is_relayed_only_on_a_safe_answer(
    world: World, answer: FirstMessageVerdict
) -> None:
    conversation_id = await _conversation(world)
    check = ScriptedCheck(answer, FirstMessageVerdict.SAFE)
    transcripts = InMemoryAnonymousTranscripts(world.clock, timedelta(hours=72))
    broker = RecordingBroker()
    relay = Relay(world, check, transcripts, broker)
    conversation = await world.conversations.get(conversation_id)
    assert conversation is not None
    seat = AnonymousSeat.of(conversation, "ko1")

    rejected = await relay.say(seat, "first try", "c")
    assert rejected == MessageRejectedFrame(client_id="c", reason=answer.value)
    assert broker.relayed(conversation_id) == []
    assert await transcripts.read(conversation_id) == []  # nothing kept either
    assert isinstance(await relay.say(seat, "second try", "c"), AnonymousAckFrame)
    assert isinstance(await relay.say(seat, "third", "c"), AnonymousAckFrame)
    assert check.checked == ["first try", "second try"]  # the third is not a first
    assert broker.relayed(conversation_id) == ["second try", "third"]
    stored = await world.conversations.get(conversation_id)
    assert stored is not None and stored.participant("ko1").replied


async def test_an_unchecked_first_message_is_never_relayed(world: World) -> None:
    conversation_id = await _conversation(world)
    transcripts = InMemoryAnonymousTranscripts(world.clock, timedelta(hours=72))
    broker = RecordingBroker()
    send = SendAnonymousMessage(RealtimePublisher(broker), world.clock, transcripts)
    conversation = await world.conversations.get(conversation_id)
    assert conversation is not None
    seat = AnonymousSeat.of(conversation, "ko1")
    with pytest.raises(FirstMessageUncheckedError):
        await send.execute(SendAnonymousMessageCommand(seat=seat, content="unchecked"))
    assert broker.published == []
    assert await transcripts.read(conversation_id) == []


async def test_the_classifier_check_fails_closed() -> None:
    rules = ClassifierFirstMessageCheck(RulesClassifier(), timeout=5.0)
    assert await rules.check("hello, nice to meet you") is FirstMessageVerdict.SAFE
    flagged = await rules.check("my kakao id is cash_king77 add me")
    assert flagged is FirstMessageVerdict.FLAGGED
    down = ClassifierFirstMessageCheck(DownClassifier(), timeout=5.0)
    assert await down.check("hello") is FirstMessageVerdict.UNAVAILABLE
    silent = ClassifierFirstMessageCheck(SilentClassifier(), timeout=0.01)
    assert await silent.check("hello") is FirstMessageVerdict.UNAVAILABLE
