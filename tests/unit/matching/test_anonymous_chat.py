"""`/ws/anonymous-chat` with in-memory fakes, below the gateway: what a socket's channel
publishes when it is opened and authorized again, and when it closes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import msgspec
import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher, decode_envelope
from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.matching.anonymous_chat import (
    AnnounceDeparture,
    AnnounceDepartureCommand,
    OpenAnonymousChannel,
)
from hypehere.application.matching.leave_anonymous_conversation import (
    LeaveAnonymousConversation,
    LeaveAnonymousConversationCommand,
)
from hypehere.application.matching.run_matcher import RunMatcherCommand
from hypehere.domain.shared.ids import new_id
from hypehere.entrypoints.ws.anonymous_chat import AnonymousChatChannel
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
