"""The WebSocket gateway on a tiny test channel: auth, errors, fan-out, back-pressure,
idle timeout and shutdown — independent of any module's use cases."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider, setup_dishka
from litestar import Litestar, WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.presence import InMemoryPresence
from hypehere.application.common.actor import Actor
from hypehere.application.common.auth import AccessTokenVerifier, AuthenticatedActor
from hypehere.application.common.broker import Broker
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.domain.shared.clock import SystemClock
from hypehere.domain.shared.errors import ForbiddenError, NotFoundError, UnauthorizedError
from hypehere.domain.shared.ids import new_id
from hypehere.entrypoints.ws.gateway import (
    Channel,
    Connection,
    ConnectionRegistry,
    Frame,
    GatewayConfig,
    serve,
)

pytestmark = pytest.mark.unit


class FakeVerifier:
    async def verify(self, token: str) -> AuthenticatedActor:
        if token == "suspended":
            raise ForbiddenError("suspended")
        if not token.startswith("tok-"):
            raise UnauthorizedError("bad token")
        return AuthenticatedActor(actor=Actor(user_id=token[4:]), interface_language="en")


class RequestMarker:
    """A REQUEST-scoped object: a new one per handled frame."""

    def __init__(self) -> None:
        self.id = new_id()


class EchoFrame(Frame, tag="echo"):
    text: str


class SayFrame(Frame, tag="say"):
    text: str


class SaidFrame(Frame, tag="said"):
    user_id: str
    text: str


class KickFrame(Frame, tag="kick"):
    user_id: str


class FloodFrame(Frame, tag="flood"):
    count: int


class FailFrame(Frame, tag="fail"):
    pass


class ScopeFrame(Frame, tag="scope"):
    pass


class ScopeIdFrame(Frame, tag="scope_id"):
    id: str


class EchoChannel(Channel):
    frames = (EchoFrame, SayFrame, KickFrame, FloodFrame, FailFrame, ScopeFrame)

    def __init__(self, room: str) -> None:
        self.room = room

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        if self.room == "secret":
            raise ForbiddenError("not a member")
        return [f"test.{self.room}"]

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        publisher = await container.get(RealtimePublisher)
        topic = f"test.{self.room}"
        if isinstance(frame, EchoFrame):
            conn.send(EchoFrame(text=frame.text))
        elif isinstance(frame, SayFrame):
            said = SaidFrame(user_id=conn.user_id, text=frame.text)
            await publisher.publish(topic, said, origin=conn.id)
        elif isinstance(frame, KickFrame):
            kicked = SaidFrame(user_id=frame.user_id, text="kicked")
            await publisher.publish(topic, kicked, close_user_id=frame.user_id)
        elif isinstance(frame, FloodFrame):
            for index in range(frame.count):
                conn.send(EchoFrame(text=str(index)))
        elif isinstance(frame, FailFrame):
            raise NotFoundError("nothing here")
        elif isinstance(frame, ScopeFrame):
            conn.send(ScopeIdFrame(id=(await container.get(RequestMarker)).id))


@websocket("/ws/test/{room:str}")
async def echo_socket(socket: WebSocket[Any, Any, Any], room: str) -> None:
    await serve(socket, EchoChannel(room))


class UnreachableBroker:
    async def publish(self, topic: str, data: bytes) -> None:
        raise StorageUnavailableError("down")

    async def publish_many(self, messages: Any) -> None:
        raise StorageUnavailableError("down")

    def subscribe(self, *topics: str) -> Any:
        raise StorageUnavailableError("down")


class GatewayTestProvider(Provider):
    def __init__(self, config: GatewayConfig, broker: Any = None) -> None:
        super().__init__()
        self.config = config
        self.broker_instance = broker

    @provide(scope=Scope.APP)
    def gateway_config(self) -> GatewayConfig:
        return self.config

    @provide(scope=Scope.APP)
    def registry(self) -> ConnectionRegistry:
        return ConnectionRegistry()

    @provide(scope=Scope.APP)
    def broker(self) -> Broker:
        return self.broker_instance or InMemoryBroker()

    @provide(scope=Scope.APP)
    def presence(self) -> Presence:
        return InMemoryPresence(SystemClock())

    @provide(scope=Scope.APP)
    def publisher(self, broker: Broker) -> RealtimePublisher:
        return RealtimePublisher(broker)

    @provide(scope=Scope.REQUEST)
    def verifier(self) -> AccessTokenVerifier:
        return FakeVerifier()

    @provide(scope=Scope.REQUEST)
    def marker(self) -> RequestMarker:
        return RequestMarker()


def make_client(broker: Any = None, **config: Any) -> TestClient[Litestar]:
    container = make_async_container(
        GatewayTestProvider(GatewayConfig(**config), broker), LitestarProvider()
    )
    app = Litestar(route_handlers=[echo_socket])
    setup_dishka(container, app)
    return TestClient(app=app)


@pytest.fixture
def ws() -> Iterator[TestClient[Litestar]]:
    with make_client(send_queue_size=16) as client:
        yield client


def _closed_with(session: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        for _ in range(1000):
            session.receive_json(timeout=5)
    return int(info.value.code)


def test_no_token_is_closed_4401_after_accepting(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby") as session:
        assert _closed_with(session) == 4401


def test_invalid_token_is_closed_4401(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=garbage") as session:
        assert _closed_with(session) == 4401


def test_account_not_allowed_is_closed_4403(ws: TestClient[Litestar]) -> None:
    headers = {"Authorization": "Bearer suspended"}
    with ws.websocket_connect("/ws/test/lobby", headers=headers) as session:
        assert _closed_with(session) == 4403


def test_channel_refusal_is_closed_4403(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/secret?token=tok-alice") as session:
        assert _closed_with(session) == 4403


def test_bearer_header_and_query_token_both_authenticate(ws: TestClient[Litestar]) -> None:
    headers = {"Authorization": "Bearer tok-alice"}
    with ws.websocket_connect("/ws/test/lobby", headers=headers) as session:
        session.send_json({"type": "echo", "text": "hi"})
        assert session.receive_json(timeout=5) == {"type": "echo", "text": "hi"}
    with ws.websocket_connect("/ws/test/lobby?token=tok-bob") as session:
        session.send_json({"type": "ping"})
        assert session.receive_json(timeout=5) == {"type": "pong"}


def test_bad_frames_get_error_frames_and_the_socket_stays_open(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice") as session:
        session.send_text("{not json")
        assert session.receive_json(timeout=5)["code"] == "malformed_frame"
        session.send_text("[1, 2]")
        assert session.receive_json(timeout=5)["code"] == "malformed_frame"
        session.send_json({"type": "launch_rockets"})
        assert session.receive_json(timeout=5)["code"] == "unknown_frame"
        session.send_json({"text": "no type"})
        assert session.receive_json(timeout=5)["code"] == "unknown_frame"
        session.send_json({"type": "echo", "text": 42})
        error = session.receive_json(timeout=5)
        assert error["type"] == "error"
        assert error["code"] == "invalid_frame"
        assert error["message"]
        session.send_json({"type": "fail"})
        assert session.receive_json(timeout=5) == {
            "type": "error",
            "code": "not_found",
            "message": "The resource was not found.",
        }
        session.send_json({"type": "echo", "text": "still open"})
        assert session.receive_json(timeout=5) == {"type": "echo", "text": "still open"}


def test_each_frame_gets_its_own_request_scope(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice") as session:
        session.send_json({"type": "scope"})
        first = session.receive_json(timeout=5)["id"]
        session.send_json({"type": "scope"})
        second = session.receive_json(timeout=5)["id"]
    assert first != second


def test_frames_over_64_kib_are_refused(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice") as session:
        session.send_json({"type": "echo", "text": "x" * 70_000})
        assert session.receive_json(timeout=5)["code"] == "frame_too_large"
        assert _closed_with(session) == 1009


def test_fan_out_skips_the_origin_and_reaches_the_others(ws: TestClient[Litestar]) -> None:
    with (
        ws.websocket_connect("/ws/test/lobby?token=tok-alice") as alice,
        ws.websocket_connect("/ws/test/lobby?token=tok-bob") as bob,
        ws.websocket_connect("/ws/test/other?token=tok-carol") as carol,
    ):
        alice.send_json({"type": "say", "text": "hello"})
        assert bob.receive_json(timeout=5) == {"type": "said", "user_id": "alice", "text": "hello"}
        # alice (the origin) and carol (another topic) got nothing: their next frame is
        # the answer to their own ping.
        alice.send_json({"type": "ping"})
        assert alice.receive_json(timeout=5) == {"type": "pong"}
        carol.send_json({"type": "ping"})
        assert carol.receive_json(timeout=5) == {"type": "pong"}


def test_close_user_id_closes_only_that_users_sockets(ws: TestClient[Litestar]) -> None:
    with (
        ws.websocket_connect("/ws/test/lobby?token=tok-alice") as alice,
        ws.websocket_connect("/ws/test/lobby?token=tok-bob") as bob,
    ):
        alice.send_json({"type": "kick", "user_id": "bob"})
        assert bob.receive_json(timeout=5) == {"type": "said", "user_id": "bob", "text": "kicked"}
        assert _closed_with(bob) == 4403
        assert alice.receive_json(timeout=5)["text"] == "kicked"
        alice.send_json({"type": "echo", "text": "still here"})
        assert alice.receive_json(timeout=5)["text"] == "still here"


def test_a_client_that_cannot_keep_up_is_closed_1013() -> None:
    with (
        make_client(send_queue_size=4) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as session,
    ):
        session.send_json({"type": "flood", "count": 50})
        assert _closed_with(session) == 1013


def test_idle_sockets_time_out_with_4408() -> None:
    with (
        make_client(idle_timeout_seconds=0.2, heartbeat_seconds=0.05) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as session,
    ):
        frames: list[Any] = []
        with pytest.raises(WebSocketDisconnect) as info:
            while True:
                frames.append(session.receive_json(timeout=5))
        assert info.value.code == 4408
        assert {"type": "ping"} in frames  # heartbeats were sent before giving up


def test_graceful_shutdown_closes_sockets_with_1001(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice") as session:
        session.send_json({"type": "echo", "text": "up"})
        session.receive_json(timeout=5)
        container = ws.app.state.dishka_container
        registry = ws.blocking_portal.call(container.get, ConnectionRegistry)
        assert len(registry) == 1
        ws.blocking_portal.call(registry.drain)
        assert _closed_with(session) == 1001
        assert len(registry) == 0


def test_presence_follows_connections(ws: TestClient[Litestar]) -> None:
    container = ws.app.state.dishka_container
    presence = ws.blocking_portal.call(container.get, Presence)
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice") as session:
        session.send_json({"type": "ping"})
        session.receive_json(timeout=5)
        assert ws.blocking_portal.call(presence.is_online, "alice")
    registry = ws.blocking_portal.call(container.get, ConnectionRegistry)
    ws.blocking_portal.call(registry.drain)
    assert not ws.blocking_portal.call(presence.is_online, "alice")


def test_an_unreachable_broker_closes_with_1013() -> None:
    with (
        make_client(broker=UnreachableBroker()) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as session,
    ):
        assert _closed_with(session) == 1013
