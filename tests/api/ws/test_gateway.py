"""The WebSocket gateway on a tiny test channel: auth, errors, fan-out, back-pressure,
idle timeout and shutdown — independent of any module's use cases."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider, setup_dishka
from litestar import Litestar, WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.connection_slots import InMemoryConnectionSlots
from hypehere.adapters.memory.presence import InMemoryPresence
from hypehere.application.common.actor import Actor
from hypehere.application.common.auth import AccessTokenVerifier, AuthenticatedActor
from hypehere.application.common.broker import Broker
from hypehere.application.common.connection_slots import ConnectionSlots
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.topics import user_sessions_topic
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
from hypehere.entrypoints.ws.limits import FrameRateLimit
from hypehere.entrypoints.ws.sessions import SessionHub

pytestmark = pytest.mark.unit


class FakeAccounts:
    """What the fake verifier and channel read, changed by tests while sockets are open."""

    def __init__(self) -> None:
        self.suspended: set[str] = set()
        self.revoked_tokens: set[str] = set()
        self.removed: set[tuple[str, str]] = set()  # (room, user) no longer members


class FakeVerifier:
    """Tokens look like `tok-<user>[~s=<session>][~ttl=<seconds>]`."""

    def __init__(self, accounts: FakeAccounts) -> None:
        self.accounts = accounts

    async def verify(self, token: str) -> AuthenticatedActor:
        if token == "suspended":
            raise ForbiddenError("suspended")
        if not token.startswith("tok-") or token in self.accounts.revoked_tokens:
            raise UnauthorizedError("bad token")
        user_id, *options = token[4:].split("~")
        if user_id in self.accounts.suspended:
            raise ForbiddenError("suspended")
        fields = dict(option.split("=", 1) for option in options)
        ttl = fields.get("ttl")
        return AuthenticatedActor(
            actor=Actor(user_id=user_id),
            interface_language="en",
            expires_at=None if ttl is None else datetime.now(UTC) + timedelta(seconds=float(ttl)),
            session_id=fields.get("s"),
        )


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
        accounts = await container.get(FakeAccounts)
        if self.room == "secret" or (self.room, conn.user_id) in accounts.removed:
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

    @provide(scope=Scope.APP)
    def session_hub(self, broker: Broker) -> SessionHub:
        return SessionHub(broker)

    @provide(scope=Scope.APP)
    def connection_slots(self) -> ConnectionSlots:
        return InMemoryConnectionSlots(SystemClock())

    @provide(scope=Scope.APP)
    def accounts(self) -> FakeAccounts:
        return FakeAccounts()

    @provide(scope=Scope.REQUEST)
    def verifier(self, accounts: FakeAccounts) -> AccessTokenVerifier:
        return FakeVerifier(accounts)

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


def test_a_silent_client_stays_connected_and_is_never_sent_json_pings() -> None:
    # Liveness is WebSocket protocol ping/pong (uvicorn's, answered by the client library);
    # the gateway neither requires frames from the client nor sends it JSON pings.
    with (
        make_client(heartbeat_seconds=0.02) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as session,
    ):
        presence = client.blocking_portal.call(client.app.state.dishka_container.get, Presence)
        time.sleep(0.5)  # silent across many heartbeats
        assert client.blocking_portal.call(presence.is_online, "alice")
        session.send_json({"type": "echo", "text": "still here"})
        assert session.receive_json(timeout=5) == {"type": "echo", "text": "still here"}
        session.send_json({"type": "ping"})  # the JSON ping stays available to clients
        assert session.receive_json(timeout=5) == {"type": "pong"}


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


# --- session control -------------------------------------------------------------------


def _get(client: TestClient[Litestar], kind: Any) -> Any:
    return client.blocking_portal.call(client.app.state.dishka_container.get, kind)


def _revoke(client: TestClient[Litestar], user_id: str, revoked: SessionsRevoked) -> None:
    broker = _get(client, Broker)
    data = msgspec.json.encode(revoked)
    client.blocking_portal.call(broker.publish, user_sessions_topic(user_id), data)


def _still_open(session: Any) -> bool:
    session.send_json({"type": "ping"})
    return bool(session.receive_json(timeout=5) == {"type": "pong"})


def test_sessions_revoked_closes_every_socket_of_the_user_with_its_code(
    ws: TestClient[Litestar],
) -> None:
    with (
        ws.websocket_connect("/ws/test/lobby?token=tok-alice") as alice_1,
        ws.websocket_connect("/ws/test/other?token=tok-alice~s=phone") as alice_2,
        ws.websocket_connect("/ws/test/lobby?token=tok-bob") as bob,
    ):
        _revoke(ws, "alice", SessionsRevoked(reason="account_banned", close_code=4403))
        assert _closed_with(alice_1) == 4403
        assert _closed_with(alice_2) == 4403
        assert _still_open(bob)


def test_sessions_revoked_for_one_session_closes_only_its_sockets(
    ws: TestClient[Litestar],
) -> None:
    with (
        ws.websocket_connect("/ws/test/lobby?token=tok-alice~s=phone") as phone,
        ws.websocket_connect("/ws/test/lobby?token=tok-alice~s=laptop") as laptop,
    ):
        _revoke(ws, "alice", SessionsRevoked(reason="logout", close_code=4401, session_id="phone"))
        assert _closed_with(phone) == 4401
        assert _still_open(laptop)


def test_one_sessions_subscription_per_user_per_process(ws: TestClient[Litestar]) -> None:
    hub = _get(ws, SessionHub)
    with (
        ws.websocket_connect("/ws/test/lobby?token=tok-alice") as a1,
        ws.websocket_connect("/ws/test/other?token=tok-alice") as a2,
        ws.websocket_connect("/ws/test/third?token=tok-alice") as a3,
        ws.websocket_connect("/ws/test/lobby?token=tok-bob") as bob,
    ):
        for session in (a1, a2, a3, bob):
            assert _still_open(session)
        assert len(hub) == 2
    registry = _get(ws, ConnectionRegistry)
    ws.blocking_portal.call(registry.drain)
    assert len(hub) == 0


def test_the_socket_closes_4401_when_its_token_expires(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice~ttl=0.3") as session:
        assert _still_open(session)
        assert _closed_with(session) == 4401


def test_an_auth_frame_with_a_fresh_token_moves_the_expiry(ws: TestClient[Litestar]) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice~ttl=0.4") as session:
        session.send_json({"type": "auth", "token": "tok-alice~ttl=60"})
        answer = session.receive_json(timeout=5)
        assert answer["type"] == "auth_ok"
        expires_at = datetime.fromisoformat(answer["expires_at"])
        assert expires_at > datetime.now(UTC) + timedelta(seconds=30)
        time.sleep(0.8)  # past the first token's expiry
        assert _still_open(session)


@pytest.mark.parametrize("token", ["tok-bob~ttl=60", "garbage"])
def test_an_auth_frame_for_another_user_or_invalid_closes_4401(
    ws: TestClient[Litestar], token: str
) -> None:
    with ws.websocket_connect("/ws/test/lobby?token=tok-alice") as session:
        session.send_json({"type": "auth", "token": token})
        error = session.receive_json(timeout=5)
        assert error["type"] == "error"
        assert error["code"] == "unauthorized"
        assert _closed_with(session) == 4401


def test_reverification_closes_a_suspended_account_with_4403() -> None:
    with (
        make_client(reverify_seconds=0.05) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as alice,
        client.websocket_connect("/ws/test/lobby?token=tok-bob") as bob,
    ):
        assert _still_open(alice)
        _get(client, FakeAccounts).suspended.add("alice")
        assert _closed_with(alice) == 4403
        assert _still_open(bob)


def test_reverification_closes_a_socket_whose_token_was_revoked_with_4401() -> None:
    with (
        make_client(reverify_seconds=0.05) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as alice,
    ):
        assert _still_open(alice)
        _get(client, FakeAccounts).revoked_tokens.add("tok-alice")
        assert _closed_with(alice) == 4401


def test_reverification_closes_a_member_removed_without_an_event_with_4403() -> None:
    # A kick whose broker event was lost: the membership re-check still ends the socket.
    with (
        make_client(reverify_seconds=0.05) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as lobby,
        client.websocket_connect("/ws/test/other?token=tok-alice") as other,
    ):
        assert _still_open(lobby)
        _get(client, FakeAccounts).removed.add(("lobby", "alice"))
        assert _closed_with(lobby) == 4403
        assert _still_open(other)


# --- abuse limits ----------------------------------------------------------------------


def test_frames_over_their_bucket_get_rate_limited_then_1008() -> None:
    limits = {"echo": FrameRateLimit(per_second=0.001, burst=2)}
    with (
        make_client(frame_limits=limits, rate_limit_strikes=3) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as session,
    ):
        for text in ("one", "two"):
            session.send_json({"type": "echo", "text": text})
            assert session.receive_json(timeout=5)["text"] == text
        session.send_json({"type": "echo", "text": "three"})
        assert session.receive_json(timeout=5)["code"] == "rate_limited"
        assert _still_open(session)  # another kind of frame; the streak is broken
        for _ in range(3):
            session.send_json({"type": "echo", "text": "more"})
        assert session.receive_json(timeout=5)["code"] == "rate_limited"
        assert session.receive_json(timeout=5)["code"] == "rate_limited"
        assert _closed_with(session) == 1008


def test_other_frames_share_the_star_bucket() -> None:
    limits = {"*": FrameRateLimit(per_second=0.001, burst=1)}
    with (
        make_client(frame_limits=limits) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as session,
    ):
        assert _still_open(session)
        session.send_text("{not json")
        assert session.receive_json(timeout=5)["code"] == "rate_limited"
        session.send_json({"type": "echo", "text": "x"})
        assert session.receive_json(timeout=5)["code"] == "rate_limited"


def test_sockets_over_the_per_user_cap_are_closed_4429() -> None:
    with (
        make_client(max_sockets_per_user=2) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as first,
        client.websocket_connect("/ws/test/other?token=tok-alice") as second,
    ):
        assert _still_open(first)
        assert _still_open(second)
        with client.websocket_connect("/ws/test/lobby?token=tok-alice") as third:
            assert _closed_with(third) == 4429
        with client.websocket_connect("/ws/test/lobby?token=tok-bob") as bob:
            assert _still_open(bob)
        slots = _get(client, ConnectionSlots)
        assert client.blocking_portal.call(slots.count, "user:alice") == 2
    with make_client(max_sockets_per_user=1) as client:
        with client.websocket_connect("/ws/test/lobby?token=tok-alice") as first:
            assert _still_open(first)
        registry = _get(client, ConnectionRegistry)
        client.blocking_portal.call(registry.drain)
        slots = _get(client, ConnectionSlots)
        assert client.blocking_portal.call(slots.count, "user:alice") == 0  # given back


def test_sockets_over_the_per_ip_cap_are_closed_4429() -> None:
    with (
        make_client(max_sockets_per_ip=2) as client,
        client.websocket_connect("/ws/test/lobby?token=tok-alice") as alice,
        client.websocket_connect("/ws/test/lobby?token=tok-bob") as bob,
    ):
        assert _still_open(alice)
        assert _still_open(bob)
        with client.websocket_connect("/ws/test/lobby?token=tok-carol") as carol:
            assert _closed_with(carol) == 4429
