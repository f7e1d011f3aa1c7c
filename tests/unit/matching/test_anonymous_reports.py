"""Reporting an anonymous partner, with in-memory fakes: relayed messages land in the
conversation's encrypted transcript; a participant's report names the partner and keeps
the transcript (reporter/reported) as evidence staff see; anyone else is not found; a
lapsed transcript files the report with an empty one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest

from hypehere.adapters.memory.moderation import InMemoryReportRepository
from hypehere.adapters.memory.transcripts import InMemoryAnonymousTranscripts
from hypehere.adapters.moderation.rules import RulesClassifier
from hypehere.adapters.modules.matching_first_message import ClassifierFirstMessageCheck
from hypehere.adapters.modules.moderation_targets import ModuleReportTargets
from hypehere.application.common.actor import Actor, Role
from hypehere.application.matching.anonymous_seat import AnonymousSeat
from hypehere.application.matching.locate_anonymous_partner import (
    LocateAnonymousPartner,
    LocateAnonymousPartnerQuery,
)
from hypehere.application.matching.run_matcher import RunMatcherCommand
from hypehere.application.moderation.file_report import FileReport, FileReportCommand
from hypehere.application.moderation.list_reports import ListReports, ListReportsCommand
from hypehere.domain.matching.errors import AnonymousConversationNotFoundError
from hypehere.domain.moderation.errors import ReportTargetNotFoundError
from tests.unit.matching.test_first_message_check import RecordingBroker, Relay
from tests.unit.matching.test_use_cases import World
from tests.unit.matching.test_use_cases import world as world  # the matching fixture

pytestmark = pytest.mark.unit

TTL = timedelta(hours=72)
STAFF = Actor(user_id="staff-1", role=Role.MODERATOR)


class Anonymous:
    def __init__(self, world: World) -> None:
        self.world = world
        self.transcripts = InMemoryAnonymousTranscripts(world.clock, TTL)
        self.reports = InMemoryReportRepository()
        self.locate = LocateAnonymousPartner(world.uow, world.conversations, self.transcripts)
        unused = cast(Any, None)  # the feed, users and chat sides are not reached here
        self.targets = ModuleReportTargets(unused, unused, unused, self.locate, unused, unused)

    async def match(self) -> str:
        await self.world.join("ko1")
        await self.world.join("en1")
        result = await self.world.matcher().execute(RunMatcherCommand())
        [conversation_id] = result.conversation_ids
        return conversation_id

    async def say(self, user_id: str, conversation_id: str, content: str) -> None:
        w = self.world
        check = ClassifierFirstMessageCheck(RulesClassifier(), timeout=5.0)
        relay = Relay(w, check, self.transcripts, RecordingBroker())
        conversation = await w.conversations.get(conversation_id)
        assert conversation is not None
        seat = AnonymousSeat.of(conversation, user_id)  # a socket opened for this message
        await relay.say(seat, content)
        w.clock.advance(seconds=5)

    def file(self) -> FileReport:
        return FileReport(
            self.world.uow, self.reports, self.targets, self.world.outbox, self.world.clock
        )

    async def report(self, user_id: str, conversation_id: str) -> Any:
        return await self.file().execute(
            FileReportCommand(
                actor=Actor(user_id),
                target_type="anonymous_conversation",
                target_id=conversation_id,
                reason="harassment",
            )
        )


@pytest.fixture
def anon(world: World) -> Anonymous:
    return Anonymous(world)


async def test_relayed_messages_are_kept_encrypted_in_the_transcript(anon: Anonymous) -> None:
    conversation_id = await anon.match()
    await anon.say("ko1", conversation_id, "안녕하세요")
    await anon.say("en1", conversation_id, "hello there")
    [sealed] = anon.transcripts.stored().values()
    assert len(sealed) == 2
    assert not any(b"hello there" in blob for blob in sealed)
    seen = await anon.locate.execute(LocateAnonymousPartnerQuery(Actor("en1"), conversation_id))
    assert seen.partner_id == "ko1"
    assert [(t.from_, t.content) for t in seen.transcript] == [
        ("reported", "안녕하세요"),
        ("reporter", "hello there"),
    ]
    with pytest.raises(AnonymousConversationNotFoundError):
        await anon.locate.execute(LocateAnonymousPartnerQuery(Actor("ja1"), conversation_id))


async def test_a_report_names_the_partner_and_keeps_the_transcript_for_staff(
    anon: Anonymous,
) -> None:
    conversation_id = await anon.match()
    await anon.say("ko1", conversation_id, "hi")
    await anon.say("en1", conversation_id, "rude words")
    filed = await anon.report("ko1", conversation_id)
    assert filed.target_type == "anonymous_conversation"
    assert filed.target_id == conversation_id
    assert filed.reported_user_id == "en1"
    await anon.say("en1", conversation_id, "said after the report")
    page = await ListReports(anon.world.uow, anon.reports).execute(ListReportsCommand(actor=STAFF))
    [staff_view] = page.items
    assert staff_view.evidence is not None
    lines = staff_view.evidence.transcript
    assert [(line.from_, line.content) for line in lines] == [
        ("reporter", "hi"),
        ("reported", "rude words"),
    ]
    assert lines[0].created_at < lines[1].created_at


async def test_only_a_participant_may_report_the_conversation(anon: Anonymous) -> None:
    conversation_id = await anon.match()
    with pytest.raises(ReportTargetNotFoundError):
        await anon.report("ja1", conversation_id)
    with pytest.raises(ReportTargetNotFoundError):
        await anon.report("ko1", "no-such-conversation")
    assert anon.reports.reports == {}


async def test_a_lapsed_transcript_files_the_report_with_an_empty_one(anon: Anonymous) -> None:
    conversation_id = await anon.match()
    await anon.say("ko1", conversation_id, "hi")
    anon.world.clock.advance(hours=72)
    await anon.say("en1", conversation_id, "too late to keep")
    assert anon.transcripts.stored() == {}
    filed = await anon.report("en1", conversation_id)
    assert filed.reported_user_id == "ko1"
    assert filed.evidence is not None
    assert filed.evidence.transcript == []
