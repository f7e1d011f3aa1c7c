"""The WebSocket gateway's pieces: config from settings, this process's connection registry,
presence (Redis when configured, else in-process) and the real-time publisher."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import BlockingConnectionPool, Redis

from hypehere.adapters.memory.connection_slots import InMemoryConnectionSlots
from hypehere.adapters.memory.presence import InMemoryPresence
from hypehere.adapters.redis.connection_slots import RedisConnectionSlots
from hypehere.adapters.redis.presence import RedisPresence
from hypehere.application.common.account_caches import AccountCaches
from hypehere.application.common.broker import Broker
from hypehere.application.common.connection_slots import ConnectionSlots
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.session_control import SessionControl
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock
from hypehere.entrypoints.ws.gateway import ConnectionRegistry, GatewayConfig
from hypehere.entrypoints.ws.limits import OTHER_FRAMES, FrameRateLimit
from hypehere.entrypoints.ws.sessions import SessionHub


class PresenceRedis:
    """Presence's own Redis client (so this provider does not depend on other wiring)."""

    def __init__(self, client: Redis | None) -> None:
        self.client = client


class RealtimeProvider(Provider):
    @provide(scope=Scope.APP)
    def gateway_config(self, settings: Settings) -> GatewayConfig:
        limited = settings.rate_limit_enabled  # `false` turns every rate limit off
        return GatewayConfig(
            send_queue_size=settings.ws_send_queue_size,
            heartbeat_seconds=settings.ws_heartbeat_seconds,
            reverify_seconds=settings.ws_reverify_seconds,
            frame_limits=frame_limits(settings) if limited else {},
            rate_limit_strikes=settings.ws_rate_limit_strikes,
            max_sockets_per_user=settings.ws_max_sockets_per_user if limited else None,
            max_sockets_per_ip=settings.ws_max_sockets_per_ip if limited else None,
        )

    @provide(scope=Scope.APP)
    def session_hub(self, broker: Broker) -> SessionHub:
        return SessionHub(broker)

    @provide(scope=Scope.APP)
    def registry(self, broker: Broker) -> ConnectionRegistry:
        registry = ConnectionRegistry()
        # After a broker outage, every socket of this process is told to catch up from
        # what it had received when the outage began.
        broker.on_disconnect(registry.outage_started)
        broker.on_reconnect(registry.resync_all)
        return registry

    @provide(scope=Scope.APP)
    async def presence_redis(self, settings: Settings) -> AsyncIterator[PresenceRedis]:
        if settings.redis_url is None:
            yield PresenceRedis(None)
            return
        # Bounded pool: thousands of sockets renewing leases share a few connections.
        pool = BlockingConnectionPool.from_url(settings.redis_url, max_connections=32, timeout=5)
        client = Redis(connection_pool=pool)
        try:
            yield PresenceRedis(client)
        finally:
            await client.aclose()

    @provide(scope=Scope.APP)
    def presence(self, redis: PresenceRedis, clock: Clock) -> Presence:
        if redis.client is None:
            return InMemoryPresence(clock)
        return RedisPresence(redis.client, clock)

    @provide(scope=Scope.APP)
    def connection_slots(self, redis: PresenceRedis, clock: Clock) -> ConnectionSlots:
        if redis.client is None:
            return InMemoryConnectionSlots(clock)
        return RedisConnectionSlots(redis.client, clock)

    @provide(scope=Scope.APP)
    def publisher(self, broker: Broker) -> RealtimePublisher:
        return RealtimePublisher(broker)

    @provide(scope=Scope.APP)
    def session_control(self, broker: Broker, caches: AccountCaches) -> SessionControl:
        return SessionControl(broker, caches)


def frame_limits(settings: Settings) -> dict[str, FrameRateLimit]:
    """Token buckets per client frame type (`*`: every other type)."""
    return {
        "message": FrameRateLimit(settings.ws_messages_per_second, settings.ws_messages_burst),
        "typing": FrameRateLimit(settings.ws_typing_per_second, settings.ws_typing_burst),
        "read": FrameRateLimit(settings.ws_read_per_second, settings.ws_read_burst),
        OTHER_FRAMES: FrameRateLimit(
            settings.ws_other_frames_per_second, settings.ws_other_frames_burst
        ),
    }
