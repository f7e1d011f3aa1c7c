"""`/ws/anonymous-chat` with in-memory fakes, below the gateway: what a socket's channel
publishes when it is opened and authorized again, and when it closes; its seat (relaying
reads no database once my first message went through; the frames it forwards and a read
after a broker outage keep it current)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, cast

import msgspec
import pytest

from hypehere.adapters.memory.transcripts import InMemoryAnonymousTranscripts
from hypehere.application.common.actor import Actor
from hypehere.application.common.broker import BrokerMessage
from hypehere.application.common.realtime import RealtimePublisher, decode_envelope
from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.matching.anonymous_chat import (
    AnnounceDeparture,
    AnnounceDepartureCommand,
    OpenAnonymousChannel,
)
from hypehere.application.matching.anonymous_messages import (
    CheckFirstAnonymousMessage,
    RecordFirstAnonymousMessage,
    SendAnonymousMessage,
)
from hypehere.application.matching.end_conversations import announce_end
from hypehere.application.matching.frames import AnonymousAckFrame, RevealedFrame
from hypehere.application.matching.leave_anonymous_conversation import (
    LeaveAnonymousConversation,
    LeaveAnonymousConversationCommand,
)
from hypehere.application.matching.ports import FirstMessageVerdict
from hypehere.application.matching.run_matcher import RunMatcherCommand
from hypehere.application.matching.views import PublicProfile
from hypehere.domain.matching.errors import ConversationEndedError
from hypehere.domain.shared.errors import DomainError
from hypehere.domain.shared.ids import new_id
from hypehere.entrypoints.common.errors import describe
from hypehere.entrypoints.ws.anonymous_chat import AnonymousChatChannel
from hypehere.entrypoints.ws.frames import SendMessageRequest
from hypehere.entrypoints.ws.gateway import ResyncFrame
from tests.unit.matching.test_first_message_check import RecordingBroker
from tests.unit.matching.test_use_cases import World
from tests.unit.matching.test_use_cases import world as world  # the matching fixture

pytestmark = pytest.mark.unit


class Container:
    """What a dishka request container answers, for the use cases given."""

    def __init__(self, *use_cases: object) -> None:
        self._use_cases = {type(u): u for u in use_cases}

    async def get(self, kind: type[object]) -> object:
        return self._use_cases[kind]


def connection(user_id: str) -> Any:
    return cast(Any, SimpleNamespace(id=new_id(), actor=Actor(user_id), user_id=user_id))


def published_types(broker: RecordingBroker) -> list[str]:
    return [
        msgspec.json.decode(bytes(decode_envelope(data).frame))["type"]
        for _, data in broker.published
    ]


async def conversation(world: World) -> str:
    await world.join("ko1")
    await world.join("en1")
    [conversation_id] = (await world.matcher().execute(RunMatcherCommand())).conversation_ids
    return conversation_id


async def test_a_recheck_does_not_announce_partner_joined_again(world: World) -> None:
    conversation_id = await conversation(world)
    broker = RecordingBroker()
    container = cast(
        Any,
        Container(OpenAnonymousChannel(world.uow, world.conversations, RealtimePublisher(broker))),
    )
    channel = AnonymousChatChannel(conversation_id)
    conn = connection("ko1")
    assert await channel.open(conn, container) == [anonymous_conversation_topic(conversation_id)]
    await world.uow.settle()
    assert published_types(broker) == ["partner_joined"]
    await channel.recheck(conn, container)
    await channel.recheck(conn, container)
    await world.uow.settle()
    assert published_types(broker) == ["partner_joined"]


async def test_a_socket_closing_after_i_left_announces_nothing(world: World) -> None:
    conversation_id = await conversation(world)
    broker = RecordingBroker()
    publisher = RealtimePublisher(broker)
    departure = AnnounceDeparture(world.uow, world.conversations, publisher)
    closed = AnnounceDepartureCommand(actor=Actor("ko1"), conversation_id=conversation_id)
    await departure.execute(closed)  # a socket closes while I am in: my partner is told
    leave = LeaveAnonymousConversation(
        world.uow, world.conversations, publisher, world.outbox, world.clock
    )
    await leave.execute(
        LeaveAnonymousConversationCommand(actor=Actor("ko1"), conversation_id=conversation_id)
    )
    await world.uow.settle()
    await departure.execute(closed)  # my other socket, closed by the leave
    await world.uow.settle()
    assert published_types(broker) == ["partner_left", "partner_left"]
    left = decode_envelope(broker.published[-1][1])
    assert (left.only_user_ids, left.close_user_id, left.close_code) == (["en1"], "ko1", 1000)


class CountingConversations:
    """The world's conversations, counting the reads and writes that reach them."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls = 0

    async def get(self, conversation_id: str) -> Any:
        self.calls += 1
        return await self._inner.get(conversation_id)

    async def save(self, conversation: Any) -> None:
        self.calls += 1
        await self._inner.save(conversation)

    async def record_reply(self, conversation_id: str, user_id: str) -> None:
        self.calls += 1
        await self._inner.record_reply(conversation_id, user_id)


class AlwaysSafe:
    def __init__(self) -> None:
        self.checked: list[str] = []

    async def check(self, text: str) -> FirstMessageVerdict:
        self.checked.append(text)
        return FirstMessageVerdict.SAFE


class FakeConnection:
    def __init__(self, user_id: str, container: Any) -> None:
        self.id = new_id()
        self.actor = Actor(user_id)
        self.user_id = user_id
        self.sent: list[Any] = []
        self.closed: int | None = None
        self._container = container

    def send(self, frame: Any) -> bool:
        self.sent.append(msgspec.json.decode(frame) if isinstance(frame, bytes) else frame)
        return True

    def close(self, code: int, reason: str = "") -> None:
        self.closed = self.closed or code

    def translate(self, exc: DomainError) -> Any:
        return describe(exc, "en")

    @asynccontextmanager
    async def request_scope(self) -> AsyncIterator[Any]:
        yield self._container


class Chat:
    """A conversation's live use cases over the world's fakes; `socket` opens a channel the
    way the gateway does."""

    def __init__(self, world: World, conversation_id: str) -> None:
        self.world = world
        self.conversation_id = conversation_id
        self.broker = RecordingBroker()
        publisher = RealtimePublisher(self.broker)
        self.transcripts = InMemoryAnonymousTranscripts(world.clock, timedelta(hours=72))
        self.check = AlwaysSafe()
        self.conversations = CountingConversations(world.conversations)
        self.container = cast(
            Any,
            Container(
                OpenAnonymousChannel(world.uow, world.conversations, publisher),
                CheckFirstAnonymousMessage(self.check),
                SendAnonymousMessage(publisher, world.clock, self.transcripts),
                RecordFirstAnonymousMessage(world.uow, self.conversations),
            ),
        )

    async def socket(self, user_id: str) -> tuple[AnonymousChatChannel, FakeConnection]:
        channel = AnonymousChatChannel(self.conversation_id)
        conn = FakeConnection(user_id, self.container)
        await channel.open(cast(Any, conn), self.container)
        return channel, conn

    async def say(self, socket: tuple[AnonymousChatChannel, FakeConnection], text: str) -> Any:
        channel, conn = socket
        await channel.handle(
            cast(Any, conn), SendMessageRequest(content=text, client_id=text), self.container
        )
        return conn.sent[-1]

    async def deliver(self, *sockets: tuple[AnonymousChatChannel, FakeConnection]) -> None:
        """What the broker carried since, as each socket's pump hands it over."""
        for topic, data in self.broker.published:
            for channel, conn in sockets:
                await channel.on_event(cast(Any, conn), BrokerMessage(topic=topic, data=data))
        self.broker.published.clear()


async def test_relaying_reads_no_database_and_a_first_message_is_recorded_after_it(
    world: World,
) -> None:
    conversation_id = await conversation(world)
    chat = Chat(world, conversation_id)
    ko = await chat.socket("ko1")
    assert isinstance(await chat.say(ko, "first"), AnonymousAckFrame)
    assert chat.conversations.calls == 1  # my first message, recorded: one write
    stored = await world.conversations.get(conversation_id)
    assert stored is not None and stored.participant("ko1").replied
    commits = world.uow.commits
    for i in range(5):
        ack = await chat.say(ko, f"m{i}")
        assert isinstance(ack, AnonymousAckFrame)
        assert ack.message.sender_id is None
    assert chat.conversations.calls == 1
    assert world.uow.commits == commits
    assert chat.check.checked == ["first"]
    contents = [e.content for e in await chat.transcripts.read(conversation_id)]
    assert contents == ["first", "m0", "m1", "m2", "m3", "m4"]


async def test_a_socket_of_mine_learns_from_my_messages_that_i_replied(world: World) -> None:
    chat = Chat(world, await conversation(world))
    first, second = await chat.socket("ko1"), await chat.socket("ko1")
    await chat.say(first, "hello")
    await chat.deliver(first, second)  # `from: me` on my other socket
    assert second[1].sent[-1]["message"]["from"] == "me"
    assert isinstance(await chat.say(second, "again"), AnonymousAckFrame)
    assert chat.check.checked == ["hello"]
    assert second[0].seat.replied


async def test_a_socket_that_missed_my_messages_checks_its_first_one_again(
    world: World,
) -> None:
    """Fail-closed when in doubt: the frame was lost, so the seat asks the classifier."""
    chat = Chat(world, await conversation(world))
    first, second = await chat.socket("ko1"), await chat.socket("ko1")
    await chat.say(first, "hello")
    chat.broker.published.clear()
    assert isinstance(await chat.say(second, "again"), AnonymousAckFrame)
    assert chat.check.checked == ["hello", "again"]


async def test_the_seat_follows_the_revealed_and_ended_frames(world: World) -> None:
    conversation_id = await conversation(world)
    chat = Chat(world, conversation_id)
    ko, en = await chat.socket("ko1"), await chat.socket("en1")
    await chat.say(ko, "hi")
    publisher = RealtimePublisher(chat.broker)
    profile = PublicProfile(
        id="x",
        handle="x",
        nickname="x",
        bio="",
        avatar_url=None,
        native_language="ko",
        target_languages=[],
        follower_count=0,
        following_count=0,
        post_count=0,
        created_at=world.clock.now(),
    )
    topic = anonymous_conversation_topic(conversation_id)
    for reader in ("ko1", "en1"):
        frame = RevealedFrame(me=profile, partner=profile)
        await publisher.publish(topic, frame, only_user_ids=[reader])
    await chat.deliver(ko)
    assert ko[0].seat.revealed
    assert (await chat.say(ko, "now you know")).message.sender_id == "ko1"
    ended = await world.conversations.get(conversation_id)
    assert ended is not None
    ended.end(world.clock.now())
    await world.conversations.save(ended)
    await announce_end(publisher, ended, "blocked")
    await chat.deliver(ko, en)
    for channel, conn in (ko, en):
        assert conn.closed == 1000
        assert conn.sent[-1] == {"type": "ended", "reason": "blocked"}
        assert channel.seat.ended
    calls = chat.conversations.calls
    with pytest.raises(ConversationEndedError):  # nothing relayed before the socket is gone
        await chat.say(ko, "still there?")
    assert chat.conversations.calls == calls  # the seat knew


async def test_after_a_broker_outage_the_seat_is_read_again(world: World) -> None:
    conversation_id = await conversation(world)
    chat = Chat(world, conversation_id)
    ko = await chat.socket("ko1")
    stored = await world.conversations.get(conversation_id)
    assert stored is not None
    stored.accept_reveal("ko1", world.clock.now())
    stored.accept_reveal("en1", world.clock.now())  # its `revealed` frames were lost
    await world.conversations.save(stored)
    channel, conn = ko
    await channel.on_resync(cast(Any, conn))
    assert channel.seat.revealed
    assert conn.sent[-1] == ResyncFrame()
    stored.end(world.clock.now())  # a block, its `ended` frames lost too
    await world.conversations.save(stored)
    await channel.on_resync(cast(Any, conn))
    assert conn.closed == 4403


async def test_a_message_is_one_publish_rendered_for_each_reader(world: World) -> None:
    chat = Chat(world, await conversation(world))
    sender, mine, partner = (
        await chat.socket("ko1"),
        await chat.socket("ko1"),
        await chat.socket("en1"),
    )
    await chat.say(sender, "hello")
    chat.broker.published.clear()  # partner_joined, and the first message
    for socket in (sender, mine, partner):
        socket[1].sent.clear()
    ack = await chat.say(sender, "again")
    assert len(chat.broker.published) == 1
    await chat.deliver(sender, mine, partner)
    assert sender[1].sent == [ack]  # its ack only
    [to_mine], [to_partner] = mine[1].sent, partner[1].sent
    assert (to_mine["message"]["from"], to_partner["message"]["from"]) == ("me", "partner")
    assert to_mine["message"]["id"] == to_partner["message"]["id"] == ack.message.id
    assert "sender_id" not in to_partner["message"]
