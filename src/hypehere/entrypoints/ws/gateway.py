"""The WebSocket gateway shared by every real-time path (chat, rooms, notifications, later
anonymous chat and matching). A path is a `Channel`; the gateway does everything else.

How to add a path
-----------------
1. Declare the client frames as tagged msgspec Structs (the tag field is `type`). What a
   client sends is a `...Request`, what the server sends a `...Frame`::

       class MarkNotificationsReadRequest(Frame, tag="read"):
           ids: list[str] | None = None
           all: bool = False

2. Write a Channel (one instance per connection, built from the path parameters)::

       class NotificationsChannel(Channel):
           frames = (MarkNotificationsReadRequest,)  # besides the gateway's ping/pong

           async def open(self, conn: Connection, container: AsyncContainer) -> list[str]:
               # authorize here (raise a DomainError -> close 4403); return the broker
               # topics this connection listens to, built by `application.common.topics`
               return [user_notifications_topic(conn.user_id)]

           async def on_open(self, conn: Connection, container: AsyncContainer) -> None:
               uc = await container.get(GetUnreadCount)
               result = await uc.execute(GetUnreadCountCommand(actor=conn.actor))
               conn.send(UnreadCountFrame(count=result.count))  # optional first frames

           async def handle(self, conn: Connection, frame: Frame, container) -> None:
               ...  # resolve a use case from `container` (a fresh dishka REQUEST scope)

3. Mount it::

       @websocket("/ws/notifications")
       async def notifications_socket(socket: WebSocket) -> None:
           await serve(socket, NotificationsChannel())

   and add the handler to `bootstrap/app.py::root_handlers()`.

4. Push frames from use cases with `application.common.realtime.RealtimePublisher`,
   registered on the unit of work so they leave only once the transaction has committed,
   as `SendRoomMessage` does: `self._uow.after_commit(lambda: publisher.publish(
   room_topic(room_id), RoomMessageFrame(message=view), origin=cmd.origin))` inside its
   `async with self._uow:` block. Every connection subscribed to the
   topic, in any process, forwards the frame (`Channel.on_event`; a channel may override
   it to render frames per reader, as `/ws/notifications` does).

What `serve` does
-----------------
- authenticates (`Authorization: Bearer` or `?token=`) with the users module's
  `AccessTokenVerifier`; no/invalid token -> accept, then close 4401; account not allowed
  -> 4403; `Channel.open` raising a DomainError -> close 4403 (reason = the error code);
- completes the handshake only once the broker subscription is live, so a client that is
  connected never misses a frame published after its connect returned;
- gives the connection an id (bound as `connection_id` in structlog), a bounded send queue
  (`ws_send_queue_size`): `conn.send(frame)` never blocks, and a client that cannot keep
  up is closed with 1013 instead of slowing anyone else;
- subscribes to the channel's broker topics and forwards `Envelope` frames (skipping the
  `origin` connection, honoring `only_user_ids` and `user_frames`, closing on
  `close_user_id`);
- reads client frames (over 64 KiB -> close 1009), decodes them into the channel's frame
  Structs; malformed/unknown/invalid frames and DomainErrors raised by `handle` become
  `{"type": "error", "code", "message"}` (localized) and the socket stays open;
- each frame is handled in its own dishka REQUEST scope (own session/transaction);
- liveness is WebSocket protocol ping/pong, done by the server (uvicorn's
  `ws_ping_interval` / `ws_ping_timeout`, from `HYPEHERE_WS_PING_INTERVAL_SECONDS` /
  `HYPEHERE_WS_PING_TIMEOUT_SECONDS`): browsers and client libraries answer protocol pings
  by themselves, so a silent client stays connected. A client may send `{"type": "ping"}`
  and gets `{"type": "pong"}`; the server never sends a JSON ping nor requires a pong;
- heartbeat: every `ws_heartbeat_seconds` the presence lease is renewed;
- session control (`entrypoints/ws/sessions.py`): a `SessionsRevoked` on the user's
  sessions topic closes the socket with its `close_code` (one broker subscription per
  user per process); the socket closes with 4401 when its token expires unless the client
  sent `{"type": "auth", "token"}` (answered `{"type": "auth_ok", "expires_at"}`); every
  `ws_reverify_seconds` the token (account state: 4401/4403) and the channel's membership
  (`Channel.recheck`, 4403) are verified again;
- abuse limits (`entrypoints/ws/limits.py`): a token bucket per frame kind (error frame
  `rate_limited`, close 1008 after `rate_limit_strikes` rejections in a row) and caps on
  open sockets per user and per client IP (`ConnectionSlots`, across processes with
  Redis; over the cap -> close 4429);
- presence: the user is online while any connection is open (leases expire on crash);
- graceful shutdown: `ConnectionRegistry.close_all()` (called by the app's lifespan and on
  SIGTERM/SIGINT) closes every socket with 1001.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, ClassVar

import msgspec
import structlog
from dishka import AsyncContainer
from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect
from prometheus_client import Counter, Gauge

from hypehere.application.common.actor import Actor
from hypehere.application.common.auth import AccessTokenVerifier, AuthenticatedActor
from hypehere.application.common.broker import Broker, BrokerMessage
from hypehere.application.common.connection_slots import ConnectionSlots
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import Envelope, decode_envelope
from hypehere.domain.shared.errors import DomainError, ForbiddenError, UnauthorizedError
from hypehere.domain.shared.ids import is_valid_id, new_id
from hypehere.entrypoints.common.auth import bearer_token
from hypehere.entrypoints.common.errors import describe
from hypehere.entrypoints.i18n import gettext, negotiate_language
from hypehere.entrypoints.ws.limits import OTHER_FRAMES, FrameLimiter, FrameRateLimit
from hypehere.entrypoints.ws.sessions import SessionGuard, SessionHub

logger = structlog.get_logger(__name__)

CLOSE_GOING_AWAY = 1001
CLOSE_POLICY_VIOLATION = 1008
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL = 1011
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_MANY_SOCKETS = 4429
MAX_FRAME_BYTES = 65536
# A presence lease outlives this many missed heartbeats (a crashed process's sockets drop
# out of presence after that).
LEASE_HEARTBEATS = 3


class GatewayConfig(msgspec.Struct, frozen=True):
    send_queue_size: int = 256
    heartbeat_seconds: float = 20.0  # presence lease renewal
    reverify_seconds: float = 30.0  # token and membership re-verification
    max_frame_bytes: int = MAX_FRAME_BYTES
    # Token buckets per client frame type (`*`: every other type); empty: no frame limits.
    frame_limits: dict[str, FrameRateLimit] = msgspec.field(default_factory=dict)
    rate_limit_strikes: int = 10  # rejections in a row before closing with 1008
    max_sockets_per_user: int | None = None  # open sockets, across processes with Redis
    max_sockets_per_ip: int | None = None


# --- frames ----------------------------------------------------------------------------


class Frame(msgspec.Struct, tag_field="type"):
    """Base of every frame (client -> server and server -> client). Subclasses set `tag=`."""


class PingFrame(Frame, tag="ping"):
    pass


class PongFrame(Frame, tag="pong"):
    pass


class ErrorFrame(Frame, tag="error"):
    code: str
    message: str


class AuthRequest(Frame, tag="auth"):
    """A fresh access token for the same user: moves the socket's expiry."""

    token: str


class AuthOkFrame(Frame, tag="auth_ok"):
    expires_at: datetime | None


class ResyncFrame(Frame, tag="resync"):
    """Frames may have been lost (the broker was cut off): catch up from the database."""


_encoder = msgspec.json.Encoder()


# --- connections -----------------------------------------------------------------------


class Connection:
    """One live socket. `send` enqueues and never blocks (a full queue closes with 1013)."""

    def __init__(
        self,
        socket: WebSocket[Any, Any, Any],
        actor: Actor,
        language: str,
        config: GatewayConfig,
        session_container: AsyncContainer,
        guard: SessionGuard,
    ) -> None:
        self.id = new_id()
        self.socket = socket
        self.actor = actor
        self.guard = guard
        self.limiter = FrameLimiter(config.frame_limits, config.rate_limit_strikes)
        self.language = language
        self.config = config
        self.container = session_container
        self.state: dict[str, Any] = {}  # per-connection data a channel wants to keep
        self.channel: Channel | None = None  # set once the connection is served
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=config.send_queue_size)
        self._close_code: int | None = None
        self._close_reason = ""
        self._closing = asyncio.Event()

    @property
    def user_id(self) -> str:
        return self.actor.user_id

    @property
    def closing(self) -> bool:
        return self._closing.is_set()

    def send(self, frame: msgspec.Struct | bytes) -> bool:
        """Queue a frame (a Struct, or already-encoded JSON bytes). False if dropped."""
        if self._closing.is_set():
            return False
        data = frame if isinstance(frame, bytes) else _encoder.encode(frame)
        try:
            self._queue.put_nowait(data)
        except asyncio.QueueFull:
            logger.warning("ws_slow_consumer", queued=self._queue.qsize())
            self.close(CLOSE_TRY_AGAIN_LATER, "slow_consumer")
            return False
        return True

    def send_error(self, code: str, message: str) -> bool:
        return self.send(ErrorFrame(code=code, message=message))

    def close(self, code: int, reason: str = "") -> None:
        """Ask the connection to close; frames already queued are flushed first (briefly)."""
        if self._closing.is_set():
            return
        self._close_code = code
        self._close_reason = reason
        self._closing.set()

    @asynccontextmanager
    async def request_scope(self) -> AsyncIterator[AsyncContainer]:
        """A fresh dishka REQUEST scope (own DB session / unit of work) for one message."""
        async with self.container() as request_container:
            yield request_container

    def translate(self, exc: DomainError) -> ErrorFrame:
        """The error frame for `exc`: code and localized message from the one error table."""
        error = describe(exc, self.language)
        return ErrorFrame(code=error.code, message=error.message)


# Summed over the live server processes under `serve --workers N` (multiprocess mode).
WS_CONNECTIONS = Gauge(
    "hypehere_websocket_connections",
    "Open WebSockets (every endpoint)",
    multiprocess_mode="livesum",
)
BROKER_RECONNECTS = Counter(
    "hypehere_broker_reconnects_total", "Times the broker came back after losing its connection"
)


class ConnectionRegistry:
    """The connections of THIS process: for graceful shutdown and metrics only (fan-out
    always goes through the broker, so it works across processes)."""

    def __init__(self) -> None:
        self._connections: dict[str, Connection] = {}
        self._empty = asyncio.Event()
        self._resyncs: set[asyncio.Task[None]] = set()
        self.accepting = True

    def __len__(self) -> int:
        return len(self._connections)

    def add(self, conn: Connection) -> None:
        if conn.id not in self._connections:
            WS_CONNECTIONS.inc()
        self._connections[conn.id] = conn

    def remove(self, conn: Connection) -> None:
        if self._connections.pop(conn.id, None) is not None:
            WS_CONNECTIONS.dec()
        if not self._connections:
            self._empty.set()

    def by_user(self, user_id: str) -> list[Connection]:
        return [c for c in self._connections.values() if c.user_id == user_id]

    def outage_started(self) -> None:
        """The broker may start losing frames (`Broker.on_disconnect`): each channel notes
        what its socket had received until now (`Channel.on_outage`)."""
        for conn in self._connections.values():
            if conn.channel is not None:
                conn.channel.on_outage(conn)

    def resync_all(self) -> None:
        """The broker is back after losing its connection: frames published meanwhile may
        be lost, so every socket of this process is told to catch up (`Channel.on_resync`),
        in the background. Registered with `Broker.on_reconnect`."""
        BROKER_RECONNECTS.inc()
        connections = [c for c in self._connections.values() if not c.closing]
        if not connections:
            return
        logger.info("ws_resync", connections=len(connections))
        task = asyncio.get_running_loop().create_task(_resync(connections))
        self._resyncs.add(task)
        task.add_done_callback(self._resyncs.discard)

    def close_all(self, code: int = CLOSE_GOING_AWAY, reason: str = "server_shutdown") -> None:
        self.accepting = False
        for conn in list(self._connections.values()):
            conn.close(code, reason)

    async def drain(self, grace_seconds: float = 5.0) -> None:
        """Close everything with 1001 and wait (bounded) until the sockets are gone."""
        self.close_all()
        if self._connections:
            self._empty.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._empty.wait(), grace_seconds)

    def install_signal_handlers(self, grace_seconds: float = 3.0) -> None:
        """On SIGTERM/SIGINT, close every socket with 1001 and wait for them (bounded)
        BEFORE handing the signal to the server's own handler: uvicorn would otherwise close
        the remaining sockets itself with 1012 when it shuts down. A second signal goes
        straight through (forced exit)."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)
            if not callable(previous):
                continue

            def handler(signum: int, frame: Any, _previous: Any = previous) -> None:
                if not self.accepting:  # already draining: let the server act now
                    _previous(signum, frame)
                    return
                self.accepting = False

                async def drain_then_forward() -> None:
                    try:
                        await self.drain(grace_seconds)
                    finally:
                        _previous(signum, frame)

                loop.call_soon_threadsafe(lambda: loop.create_task(drain_then_forward()))

            with contextlib.suppress(ValueError, RuntimeError):
                signal.signal(sig, handler)


# --- channels --------------------------------------------------------------------------


class Channel:
    """A WebSocket path's behaviour. One instance per connection."""

    frames: ClassVar[tuple[type[Frame], ...]] = ()

    async def open(self, conn: Connection, container: AsyncContainer) -> Sequence[str]:
        """Authorize (raise DomainError -> close 4403) and return the broker topics."""
        return []

    async def on_open(self, conn: Connection, container: AsyncContainer) -> None:
        """Called once subscribed (so nothing published from now on is missed)."""

    async def handle(self, conn: Connection, frame: Frame, container: AsyncContainer) -> None:
        conn.send_error("unknown_frame", gettext(conn.language, "Unknown frame type."))

    async def on_event(self, conn: Connection, message: BrokerMessage) -> None:
        """A broker message on one of the topics; default: forward the envelope's frame."""
        forward(conn, decode_envelope(message.data))

    async def on_close(self, conn: Connection) -> None:
        """Called after the socket closed (no broker subscription any more)."""

    async def recheck(self, conn: Connection, container: AsyncContainer) -> None:
        """Is the user still allowed on this channel? Raise a DomainError -> close 4403.
        Runs every `reverify_seconds`; default: authorize again the way `open` does."""
        await self.open(conn, container)

    def on_outage(self, conn: Connection) -> None:
        """Frames may be lost from now on (see `ConnectionRegistry.outage_started`)."""

    async def on_resync(self, conn: Connection) -> None:
        """Frames may have been lost (see `ConnectionRegistry.resync_all`): tell the client
        to catch up. Default `{"type": "resync"}`; a channel may say from where."""
        conn.send(ResyncFrame())


def addressed_to(conn: Connection, envelope: Envelope) -> bool:
    """Whether the envelope's frame is for this socket (not its origin; its user, if the
    envelope names users)."""
    if envelope.origin == conn.id:
        return False
    return envelope.only_user_ids is None or conn.user_id in envelope.only_user_ids


def forward(conn: Connection, envelope: Envelope) -> None:
    """Send the envelope's frame if it is for this socket, then close the socket if the
    envelope closes its user's."""
    if addressed_to(conn, envelope):
        conn.send(bytes(envelope.frame_for(conn.user_id)))
    if envelope.close_user_id == conn.user_id:
        conn.close(envelope.close_code, "removed")


async def _resync(connections: list[Connection]) -> None:
    for conn in connections:
        if conn.closing or conn.channel is None:
            continue
        with structlog.contextvars.bound_contextvars(connection_id=conn.id):
            try:
                await conn.channel.on_resync(conn)
            except Exception:
                logger.exception("ws_resync_failed")


def _decoder_for(channel: Channel) -> msgspec.json.Decoder[Any]:
    kinds: tuple[type[Frame], ...] = (*channel.frames, PingFrame, PongFrame, AuthRequest)
    return msgspec.json.Decoder(kinds[0] if len(kinds) == 1 else _union(kinds))


def _union(kinds: tuple[type[Frame], ...]) -> Any:
    union: Any = kinds[0]
    for kind in kinds[1:]:
        union = union | kind
    return union


_decoders: dict[type[Channel], msgspec.json.Decoder[Any]] = {}


def decoder_for(channel: Channel) -> msgspec.json.Decoder[Any]:
    decoder = _decoders.get(type(channel))
    if decoder is None:
        decoder = _decoders[type(channel)] = _decoder_for(channel)
    return decoder


def frame_error(exc: Exception) -> tuple[str, str]:
    if not isinstance(exc, msgspec.ValidationError):  # not JSON, not UTF-8, too deep
        return "malformed_frame", "The frame is not valid JSON."
    text = str(exc)
    if "`$.type`" in text or "missing required field `type`" in text:
        return "unknown_frame", "Unknown frame type."
    if text.startswith("Expected `object`") and " - at `" not in text:
        return "malformed_frame", "A frame must be a JSON object."
    return "invalid_frame", "The frame has invalid fields."


# --- serving ---------------------------------------------------------------------------


async def _authenticate(
    socket: WebSocket[Any, Any, Any], container: AsyncContainer
) -> tuple[SessionGuard, AuthenticatedActor] | tuple[None, int]:
    token = bearer_token(socket)
    if token is None:
        return None, CLOSE_UNAUTHORIZED
    try:
        async with container() as request_container:
            verifier = await request_container.get(AccessTokenVerifier)
            authenticated = await verifier.verify(token)
    except UnauthorizedError:
        return None, CLOSE_UNAUTHORIZED
    except ForbiddenError:
        return None, CLOSE_FORBIDDEN
    return SessionGuard(token, authenticated), authenticated


async def serve(socket: WebSocket[Any, Any, Any], channel: Channel) -> None:
    """Run one WebSocket connection on `channel` until it closes."""
    container: AsyncContainer = socket.state.dishka_container
    registry = await container.get(ConnectionRegistry)
    if not registry.accepting:
        await _close(socket, CLOSE_GOING_AWAY, "server_shutdown")
        return
    guard, authenticated_or_code = await _authenticate(socket, container)
    if guard is None:
        assert isinstance(authenticated_or_code, int)
        logger.info("ws_rejected", close_code=authenticated_or_code, path=socket.url.path)
        await _close(socket, authenticated_or_code, "not_authenticated")
        return
    assert isinstance(authenticated_or_code, AuthenticatedActor)
    actor = authenticated_or_code.actor
    language = negotiate_language(
        authenticated_or_code.interface_language, socket.headers.get("accept-language")
    )
    config = await container.get(GatewayConfig)
    conn = Connection(socket, actor, language, config, container, guard)
    if not all(is_valid_id(v) for k, v in socket.path_params.items() if k.endswith("_id")):
        # Not an id the app issues (NUL, free text): no such conversation or room.
        logger.info("ws_forbidden", code="not_found", path=socket.url.path)
        await _close(socket, CLOSE_FORBIDDEN, "not_found")
        return
    with structlog.contextvars.bound_contextvars(connection_id=conn.id, user_id=actor.user_id):
        try:
            async with conn.request_scope() as request_container:
                topics = list(await channel.open(conn, request_container))
        except DomainError as exc:
            error = conn.translate(exc)
            logger.info("ws_forbidden", code=error.code, path=socket.url.path)
            await _close(socket, CLOSE_FORBIDDEN, error.code)
            return
        await _run(conn, channel, topics, registry, container)


async def _run(
    conn: Connection,
    channel: Channel,
    topics: list[str],
    registry: ConnectionRegistry,
    container: AsyncContainer,
) -> None:
    broker = await container.get(Broker)
    presence = await container.get(Presence)
    hub = await container.get(SessionHub)
    slots = SocketSlots(conn, await container.get(ConnectionSlots))
    lease = conn.config.heartbeat_seconds * LEASE_HEARTBEATS
    if not await slots.acquire(lease):
        logger.info("ws_too_many_sockets", path=conn.socket.url.path)
        await _close(conn.socket, CLOSE_TOO_MANY_SOCKETS, "too_many_connections")
        return
    conn.channel = channel
    registry.add(conn)
    logger.info("ws_connected", path=conn.socket.url.path, topics=len(topics))
    try:
        await _best_effort(presence.connect(conn.user_id, conn.id, lease), "presence_connect")
        async with hub.watch(conn.user_id, conn), broker.subscribe(*topics) as subscription:
            # Accept only now: once the handshake completes, nothing published is missed.
            await conn.socket.accept()
            async with conn.request_scope() as request_container:
                await channel.on_open(conn, request_container)
            tasks = [
                asyncio.create_task(_reader(conn, channel), name="ws-reader"),
                asyncio.create_task(_writer(conn), name="ws-writer"),
                asyncio.create_task(_pump(conn, channel, subscription), name="ws-pump"),
                asyncio.create_task(_heartbeat(conn, presence, slots, lease), name="ws-heartbeat"),
                asyncio.create_task(_watch_session(conn, channel), name="ws-session"),
            ]
            closing = asyncio.create_task(conn._closing.wait())
            done, _ = await asyncio.wait([*tasks, closing], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not closing and not task.cancelled() and task.exception():
                    logger.error("ws_task_failed", task=task.get_name(), exc_info=task.exception())
                    conn.close(CLOSE_INTERNAL, "internal_error")
            writer = tasks[1]
            for task in (*tasks, closing):
                if task is not writer:
                    task.cancel()
            # Let the writer flush what is queued (e.g. a `kicked` frame), briefly.
            if not writer.done():
                if not conn._queue.full():
                    conn._queue.put_nowait(b"")
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(writer, timeout=1.0)
            for task in (*tasks, closing):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
    except (DomainError, OSError) as exc:  # e.g. the broker is unreachable
        logger.warning("ws_unavailable", error=type(exc).__name__)
        conn.close(CLOSE_TRY_AGAIN_LATER, "unavailable")
    finally:
        if conn._close_code is not None:
            await _close(conn.socket, conn._close_code, conn._close_reason)
        else:
            await _close(conn.socket, 1000, "")
        registry.remove(conn)
        await _best_effort(presence.disconnect(conn.user_id, conn.id), "presence_disconnect")
        await slots.release()
        with contextlib.suppress(Exception):
            await channel.on_close(conn)
        logger.info("ws_disconnected", close_code=conn._close_code)


async def _best_effort(awaitable: Any, what: str) -> None:
    try:
        await awaitable
    except (DomainError, OSError) as exc:
        logger.warning("ws_side_effect_failed", what=what, error=type(exc).__name__)


async def _close(socket: WebSocket[Any, Any, Any], code: int, reason: str) -> None:
    if socket.connection_state == "disconnect":
        return
    if socket.connection_state == "init":
        # Refusals accept first, so clients can read the close code (4401/4403).
        with contextlib.suppress(Exception):
            await socket.accept()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(socket.close(code=code, reason=reason or None), timeout=2.0)


async def _reader(conn: Connection, channel: Channel) -> None:
    decoder = decoder_for(channel)
    socket = conn.socket
    while True:
        try:
            event = await socket.receive()
        except WebSocketDisconnect:
            event = {"type": "websocket.disconnect", "code": 1000}
        if event["type"] == "websocket.disconnect":
            conn.close(int(event.get("code", 1000)), "client_closed")
            conn._close_code = None  # the client closed; nothing to send back
            return
        raw: Any = event.get("bytes") or event.get("text") or b""
        data: bytes = raw.encode() if isinstance(raw, str) else raw
        if len(data) > conn.config.max_frame_bytes:
            conn.send_error("frame_too_large", gettext(conn.language, "The frame is too large."))
            conn.close(CLOSE_TOO_BIG, "frame_too_large")
            return
        try:
            frame = decoder.decode(data)
        except (msgspec.MsgspecError, UnicodeDecodeError, RecursionError) as exc:
            # msgspec raises the last two as they are (a binary frame that is not UTF-8, a
            # frame nested past the recursion limit)
            if not _within_limits(conn, OTHER_FRAMES):
                if conn.closing:
                    return
                continue
            code, message = frame_error(exc)
            conn.send_error(code, gettext(conn.language, message))
            continue
        if not _within_limits(conn, type(frame).__struct_config__.tag):
            if conn.closing:
                return
            continue
        if isinstance(frame, PingFrame):
            conn.send(PongFrame())
            continue
        if isinstance(frame, PongFrame):
            continue
        if isinstance(frame, AuthRequest):
            await _renew(conn, frame.token)
            continue
        await _dispatch(conn, channel, frame)


def _within_limits(conn: Connection, kind: Any) -> bool:
    """Charge the frame to its bucket; False (error frame sent, or closed 1008) if empty."""
    if conn.limiter.allow(str(kind)):
        return True
    if conn.limiter.abusive:
        logger.info("ws_rate_limit_abuse", frame=kind)
        conn.close(CLOSE_POLICY_VIOLATION, "rate_limited")
    else:
        conn.send_error("rate_limited", gettext(conn.language, "Too many frames; slow down."))
    return False


async def _dispatch(conn: Connection, channel: Channel, frame: Frame) -> None:
    kind = type(frame).__struct_config__.tag
    try:
        async with conn.request_scope() as request_container:
            await channel.handle(conn, frame, request_container)
    except DomainError as exc:
        error = conn.translate(exc)
        logger.info("ws_frame_rejected", frame=kind, code=error.code)
        conn.send(error)
    except Exception:
        logger.exception("ws_frame_failed", frame=kind)
        conn.send_error(
            "internal_error", gettext(conn.language, "Something went wrong on our side.")
        )


async def _writer(conn: Connection) -> None:
    socket = conn.socket
    while True:
        data = await conn._queue.get()
        if not data:  # the flush marker queued at close time
            if conn.closing:
                return
            continue
        try:
            await socket.send_data(data.decode(), mode="text")
        except (WebSocketDisconnect, OSError):  # the client went away mid-send
            conn.close(1000, "client_gone")
            conn._close_code = None
            return


async def _pump(conn: Connection, channel: Channel, subscription: Any) -> None:
    async for message in subscription:
        try:
            await channel.on_event(conn, message)
        except msgspec.MsgspecError:
            logger.warning("ws_bad_envelope", topic=message.topic)


async def _heartbeat(
    conn: Connection, presence: Presence, slots: SocketSlots, lease: float
) -> None:
    """Renew the presence lease and the socket slots (no frame is sent: liveness is the
    WebSocket protocol's ping/pong, done by the server)."""
    interval = conn.config.heartbeat_seconds
    # Spread heartbeats of sockets opened together (no thundering herd on presence).
    await asyncio.sleep(interval * (0.5 + random.random() / 2))
    while True:
        await _best_effort(presence.refresh(conn.user_id, conn.id, lease), "presence_refresh")
        await slots.refresh(lease)
        await asyncio.sleep(interval)


# --- session control -------------------------------------------------------------------


async def _watch_session(conn: Connection, channel: Channel) -> None:
    """Close with 4401 when the token expires (unless renewed by an `auth` frame), and
    re-verify token and membership every `reverify_seconds`."""
    guard = conn.guard
    interval = conn.config.reverify_seconds
    next_check = time.monotonic() + interval * (0.5 + random.random() / 2)
    while not conn.closing:
        guard.changed.clear()
        wait = next_check - time.monotonic()
        left = guard.seconds_left()
        if left is not None:
            wait = min(wait, left)
        if wait > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(guard.changed.wait(), wait)
            continue  # renewed, or time is up: look again
        left = guard.seconds_left()
        if left is not None and left <= 0:
            logger.info("ws_token_expired")
            conn.close(CLOSE_UNAUTHORIZED, "token_expired")
            return
        next_check = time.monotonic() + interval
        await _reverify(conn, channel)


async def _reverify(conn: Connection, channel: Channel) -> None:
    """The token (account state) and the channel membership, verified again."""
    try:
        async with conn.request_scope() as request_container:
            verifier = await request_container.get(AccessTokenVerifier)
            authenticated = await verifier.verify(conn.guard.token)
    except UnauthorizedError:
        conn.close(CLOSE_UNAUTHORIZED, "token_invalid")
        return
    except ForbiddenError as exc:
        conn.close(CLOSE_FORBIDDEN, conn.translate(exc).code)
        return
    except (DomainError, OSError) as exc:  # storage unavailable: try again next time
        logger.warning("ws_reverify_unavailable", error=type(exc).__name__)
        return
    if authenticated.actor.user_id != conn.user_id:
        conn.close(CLOSE_UNAUTHORIZED, "token_invalid")
        return
    conn.actor = authenticated.actor  # roles may have changed
    try:
        async with conn.request_scope() as request_container:
            await channel.recheck(conn, request_container)
    except StorageUnavailableError as exc:
        logger.warning("ws_reverify_unavailable", error=type(exc).__name__)
    except DomainError as exc:
        error = conn.translate(exc)
        logger.info("ws_membership_lost", code=error.code)
        conn.close(CLOSE_FORBIDDEN, error.code)
    except OSError as exc:
        logger.warning("ws_reverify_unavailable", error=type(exc).__name__)


async def _renew(conn: Connection, token: str) -> None:
    """`{"type": "auth", "token"}`: a fresh access token of the same user moves the
    socket's expiry; anything else ends the socket (error frame, then 4401/4403)."""
    try:
        async with conn.request_scope() as request_container:
            verifier = await request_container.get(AccessTokenVerifier)
            authenticated = await verifier.verify(token)
        if authenticated.actor.user_id != conn.user_id:
            raise UnauthorizedError("The token belongs to another user.")
    except UnauthorizedError as exc:
        conn.send(conn.translate(exc))
        conn.close(CLOSE_UNAUTHORIZED, "token_invalid")
        return
    except ForbiddenError as exc:
        error = conn.translate(exc)
        conn.send(error)
        conn.close(CLOSE_FORBIDDEN, error.code)
        return
    except (DomainError, OSError) as exc:  # storage unavailable: the old token still holds
        logger.warning("ws_renew_unavailable", error=type(exc).__name__)
        conn.send_error(
            "service_unavailable", gettext(conn.language, "Something went wrong on our side.")
        )
        return
    conn.actor = authenticated.actor
    conn.guard.renew(token, authenticated)
    conn.send(AuthOkFrame(expires_at=authenticated.expires_at))


# --- socket caps -----------------------------------------------------------------------


class SocketSlots:
    """One socket's slots in the per-user and per-IP caps (`ConnectionSlots` port: in
    memory per process, or Redis across processes). An unavailable store lets sockets in
    (fail open, logged)."""

    def __init__(self, conn: Connection, slots: ConnectionSlots) -> None:
        self._conn = conn
        self._slots = slots
        client = conn.socket.client
        self._caps: list[tuple[str, int]] = []
        if conn.config.max_sockets_per_user is not None:
            self._caps.append((f"user:{conn.user_id}", conn.config.max_sockets_per_user))
        if conn.config.max_sockets_per_ip is not None and client is not None:
            self._caps.append((f"ip:{client.host}", conn.config.max_sockets_per_ip))
        self._held: list[str] = []

    async def acquire(self, ttl_seconds: float) -> bool:
        for key, limit in self._caps:
            try:
                allowed = await self._slots.acquire(key, self._conn.id, limit, ttl_seconds)
            except (DomainError, OSError) as exc:
                logger.warning("ws_side_effect_failed", what="slots", error=type(exc).__name__)
                continue
            if not allowed:
                await self.release()
                return False
            self._held.append(key)
        return True

    async def refresh(self, ttl_seconds: float) -> None:
        for key in self._held:
            await _best_effort(self._slots.refresh(key, self._conn.id, ttl_seconds), "slots")

    async def release(self) -> None:
        for key in self._held:
            await _best_effort(self._slots.release(key, self._conn.id), "slots")
        self._held = []
