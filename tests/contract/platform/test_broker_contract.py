"""One contract for the Broker port, run against the in-process and the Redis adapters.

Non-delivery is checked without sleeping: publish to the topic that must stay silent, then to
a marker topic; Redis and the in-process hub keep per-publisher order, so the next message a
subscriber sees must be the marker."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.redis.broker import RedisBroker
from hypehere.application.common.broker import Broker, BrokerMessage, Subscription
from tests.conftest import _unavailable
from tests.tcp_proxy import TcpProxy

RECEIVE_TIMEOUT = 10.0  # a safety net against hangs, never the thing under test


async def receive(subscription: Subscription) -> BrokerMessage:
    async def first() -> BrokerMessage:
        async for message in subscription:
            return message
        raise AssertionError("subscription ended")

    return await asyncio.wait_for(first(), RECEIVE_TIMEOUT)


class BrokerContract:
    @pytest.fixture
    async def broker(self) -> AsyncIterator[Broker]:
        raise NotImplementedError

    @pytest.fixture
    async def peer(self, broker: Broker) -> AsyncIterator[Broker]:
        """A broker as another process would hold it (the same one when in-process)."""
        raise NotImplementedError

    async def upstream_subscribers(self, broker: Broker, topic: str) -> int:
        raise NotImplementedError

    async def test_delivers_published_messages_in_order(self, broker: Broker) -> None:
        async with broker.subscribe("t.a") as sub:
            await broker.publish("t.a", b"one")
            await broker.publish("t.a", b"two")
            assert await receive(sub) == BrokerMessage(topic="t.a", data=b"one")
            assert await receive(sub) == BrokerMessage(topic="t.a", data=b"two")

    async def test_other_topics_are_not_delivered(self, broker: Broker) -> None:
        async with broker.subscribe("t.mine", "t.marker") as sub:
            await broker.publish("t.other", b"x")
            await broker.publish("t.marker", b"m")
            assert (await receive(sub)).topic == "t.marker"

    async def test_one_subscription_several_topics(self, broker: Broker) -> None:
        async with broker.subscribe("t.a", "t.b") as sub:
            await broker.publish("t.b", b"1")
            await broker.publish("t.a", b"2")
            got = [await receive(sub), await receive(sub)]
        assert [(m.topic, m.data) for m in got] == [("t.b", b"1"), ("t.a", b"2")]

    async def test_topics_added_while_running(self, broker: Broker) -> None:
        async with broker.subscribe("t.a") as sub:
            await sub.add("t.late")
            await broker.publish("t.late", b"hello")
            assert await receive(sub) == BrokerMessage(topic="t.late", data=b"hello")

    async def test_removed_topics_stop_delivering(self, broker: Broker) -> None:
        async with broker.subscribe("t.gone", "t.marker") as sub:
            await sub.remove("t.gone")
            await broker.publish("t.gone", b"x")
            await broker.publish("t.marker", b"m")
            assert (await receive(sub)).topic == "t.marker"
            assert await self.upstream_subscribers(broker, "t.gone") == 0

    async def test_many_subscribers_each_get_a_copy(self, broker: Broker) -> None:
        async with contextlib.AsyncExitStack() as stack:
            subs = [await stack.enter_async_context(broker.subscribe("t.fan")) for _ in range(5)]
            await broker.publish("t.fan", b"hi")
            for sub in subs:
                assert await receive(sub) == BrokerMessage(topic="t.fan", data=b"hi")

    async def test_closing_one_subscription_keeps_the_others(self, broker: Broker) -> None:
        async with broker.subscribe("t.shared") as keeper:
            async with broker.subscribe("t.shared"):
                pass
            await broker.publish("t.shared", b"still")
            assert (await receive(keeper)).data == b"still"

    async def test_closing_unsubscribes_and_ends_iteration(self, broker: Broker) -> None:
        consumed: list[BrokerMessage] = []

        async def consume(sub: Subscription) -> None:
            async for message in sub:
                consumed.append(message)

        async with broker.subscribe("t.closing") as sub:
            task = asyncio.create_task(consume(sub))
            await broker.publish("t.closing", b"1")
        await asyncio.wait_for(task, RECEIVE_TIMEOUT)  # iteration ends when the block exits
        assert await self.upstream_subscribers(broker, "t.closing") == 0
        await broker.publish("t.closing", b"after")  # no subscriber: silently dropped

    async def test_peer_delivers_to_us_and_back(self, broker: Broker, peer: Broker) -> None:
        async with broker.subscribe("t.ping") as mine, peer.subscribe("t.pong") as theirs:
            await peer.publish("t.ping", b"from-peer")
            assert await receive(mine) == BrokerMessage(topic="t.ping", data=b"from-peer")
            await broker.publish("t.pong", b"from-me")
            assert await receive(theirs) == BrokerMessage(topic="t.pong", data=b"from-me")

    async def test_publish_many_delivers_each_in_order(self, broker: Broker, peer: Broker) -> None:
        async with broker.subscribe("t.m1", "t.m2") as sub:
            await peer.publish_many([])  # nothing to send: no error, nothing delivered
            await peer.publish_many([("t.m1", b"1"), ("t.m2", b"2"), ("t.m1", b"3")])
            await peer.publish_many([("t.none", b"x"), ("t.m2", b"4")])
            got = [await receive(sub) for _ in range(4)]
        assert got == [
            BrokerMessage(topic="t.m1", data=b"1"),
            BrokerMessage(topic="t.m2", data=b"2"),
            BrokerMessage(topic="t.m1", data=b"3"),
            BrokerMessage(topic="t.m2", data=b"4"),
        ]

    async def test_no_reconnect_callback_while_nothing_was_lost(self, broker: Broker) -> None:
        resyncs: list[str] = []
        broker.on_disconnect(lambda: resyncs.append("lost"))
        broker.on_reconnect(lambda: resyncs.append("resync"))
        async with broker.subscribe("t.ok") as sub:
            await broker.publish_many([("t.ok", b"1"), ("t.ok", b"2")])
            assert [(await receive(sub)).data for _ in range(2)] == [b"1", b"2"]
        assert resyncs == []

    async def test_binary_payloads_survive(self, broker: Broker) -> None:
        payload = bytes(range(256)) * 4
        async with broker.subscribe("t.bin") as sub:
            await broker.publish("t.bin", payload)
            assert (await receive(sub)).data == payload


class TestInMemoryBroker(BrokerContract):
    @pytest.fixture
    async def broker(self) -> AsyncIterator[Broker]:
        yield InMemoryBroker()

    @pytest.fixture
    async def peer(self, broker: Broker) -> AsyncIterator[Broker]:
        yield broker

    async def upstream_subscribers(self, broker: Broker, topic: str) -> int:
        assert isinstance(broker, InMemoryBroker)
        return broker._hub.subscriber_count(topic)

    async def test_slow_consumer_drops_its_own_messages_only(self) -> None:
        broker = InMemoryBroker(max_buffer=2)
        async with broker.subscribe("t") as slow, broker.subscribe("t") as fast:
            for i in range(3):
                await broker.publish("t", bytes([i]))
                assert (await receive(fast)).data == bytes([i])
            assert [(await receive(slow)).data for _ in range(2)] == [b"\x00", b"\x01"]


@pytest.mark.integration
class TestRedisBroker(BrokerContract):
    @pytest.fixture
    def prefix(self) -> str:
        # Pub/sub channels are server-wide (not per database): isolate every test run.
        return f"test:{uuid.uuid4().hex}:"

    @pytest.fixture
    async def broker(self, redis_url: str, prefix: str) -> AsyncIterator[Broker]:
        client = aioredis.Redis.from_url(redis_url)
        broker = RedisBroker(client, prefix=prefix)
        yield broker
        await broker.aclose()
        await client.aclose()

    @pytest.fixture
    async def peer(self, redis_url: str, prefix: str) -> AsyncIterator[Broker]:
        client = aioredis.Redis.from_url(redis_url)  # its own connections: "another process"
        broker = RedisBroker(client, prefix=prefix)
        yield broker
        await broker.aclose()
        await client.aclose()

    async def upstream_subscribers(self, broker: Broker, topic: str) -> int:
        assert isinstance(broker, RedisBroker)
        counts = await broker._redis.pubsub_numsub(broker._prefix + topic)
        return int(counts[0][1])

    async def test_publish_without_redis_never_raises_and_counts_the_drops(self) -> None:
        client = aioredis.Redis.from_url(
            f"redis://127.0.0.1:{_free_port()}/0", socket_connect_timeout=1
        )
        broker = RedisBroker(client)
        await broker.publish("t", b"x")
        await broker.publish_many([("t", b"x"), ("u", b"y")])
        await broker.flush()
        assert (broker.published, broker.dropped, broker.pending_publishes) == (0, 3, 0)
        await broker.aclose()
        await client.aclose()

    async def test_the_publish_queue_is_bounded(self, redis_url: str, prefix: str) -> None:
        client = aioredis.Redis.from_url(redis_url)
        broker = RedisBroker(client, prefix=prefix, max_pending=3)
        try:
            async with broker.subscribe("t.q") as sub:
                # queued without a round trip each: the fourth and fifth do not fit
                await broker.publish_many([("t.q", bytes([i])) for i in range(5)])
                assert broker.pending_publishes == 3
                assert broker.dropped == 2
                assert [(await receive(sub)).data for _ in range(3)] == [b"\x00", b"\x01", b"\x02"]
            assert broker.published == 3
        finally:
            await broker.aclose()
            await client.aclose()

    async def test_queued_publishes_go_out_in_one_pipeline_in_order(
        self, redis_url: str, prefix: str, peer: Broker
    ) -> None:
        client = aioredis.Redis.from_url(redis_url)
        broker = RedisBroker(client, prefix=prefix)
        pipelines: list[int] = []
        real_pipeline = client.pipeline

        def counting_pipeline(*args: Any, **kwargs: Any) -> Any:
            pipelines.append(1)
            return real_pipeline(*args, **kwargs)

        client.pipeline = counting_pipeline  # type: ignore[method-assign]
        try:
            async with peer.subscribe("t.p1", "t.p2") as sub:
                for i in range(50):  # as 50 after-commit pushes in a row would
                    await broker.publish(f"t.p{i % 2 + 1}", str(i).encode())
                got = [await receive(sub) for _ in range(50)]
            assert [m.data for m in got] == [str(i).encode() for i in range(50)]
            assert len(pipelines) == 1
        finally:
            await broker.aclose()
            await client.aclose()

    async def test_reconnect_callbacks_run_once_redis_is_back(
        self, redis_url: str, prefix: str
    ) -> None:
        """Redis unreachable (a cut proxy) while subscribed and publishing: publishing
        neither blocks nor raises, subscribing does not wait for a confirmation that cannot
        come, no waiter is left behind, and once Redis is back the subscription delivers
        again and the reconnect callbacks ran."""
        url = make_url_via(redis_url)
        async with TcpProxy(url.host, url.port) as proxy:
            client = aioredis.Redis.from_url(
                url.via(proxy.port), socket_connect_timeout=1, socket_timeout=2
            )
            broker = RedisBroker(client, prefix=prefix, max_backoff=0.2)
            peer_client = aioredis.Redis.from_url(redis_url)
            resyncs: list[str] = []
            broker.on_disconnect(lambda: resyncs.append("lost"))
            broker.on_reconnect(lambda: resyncs.append("resync"))
            try:
                async with broker.subscribe("t.r") as sub:
                    await broker.publish("t.r", b"before")
                    assert (await receive(sub)).data == b"before"
                    await proxy.cut()
                    for i in range(20):
                        await broker.publish("t.r", bytes([i]))
                    await sub.add(*[f"t.down{i}" for i in range(10)])
                    assert broker.pending_waiters == 0
                    await broker.flush()
                    assert broker.dropped >= 1
                    assert resyncs == ["lost"]  # once per outage, however much is lost
                    await proxy.restore()
                    await _until(lambda: "resync" in resyncs and broker.reconnects >= 1)
                    assert resyncs[:2] == ["lost", "resync"]
                    await _until_subscribed(peer_client, prefix + "t.down9")
                    await peer_client.publish(prefix + "t.r", b"after")
                    assert (await receive(sub)).data == b"after"
                    await broker.publish("t.down3", b"mine")
                    assert (await receive(sub)).data == b"mine"
                assert broker.pending_waiters == 0
            finally:
                await broker.aclose()
                await client.aclose()
                await peer_client.aclose()

    async def test_reconnects_after_a_redis_restart(self, tmp_path: Path) -> None:
        with _private_redis(tmp_path) as server:
            client = aioredis.Redis.from_url(server.url, socket_connect_timeout=1)
            broker = RedisBroker(client, prefix="restart:", max_backoff=0.5)
            publisher = aioredis.Redis.from_url(server.url)
            try:
                async with broker.subscribe("t.r") as sub:
                    await publisher.publish("restart:t.r", b"before")
                    assert (await receive(sub)).data == b"before"

                    server.restart()
                    await _until(lambda: broker.reconnects >= 1)
                    await _until_subscribed(publisher, "restart:t.r")
                    await publisher.publish("restart:t.r", b"after")
                    assert (await receive(sub)).data == b"after"

                    await sub.add("t.new")  # subscriptions keep working after the restart
                    await publisher.publish("restart:t.new", b"new")
                    assert (await receive(sub)).data == b"new"
                # the UNSUBSCRIBE goes out as the block ends; Redis may count it a moment later
                await _until_unsubscribed(publisher, "restart:t.r")
            finally:
                await broker.aclose()
                await client.aclose()
                await publisher.aclose()


class _RedisUrl:
    def __init__(self, url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 6379
        self.path = parts.path

    def via(self, port: int) -> str:
        return f"redis://127.0.0.1:{port}{self.path}"


def make_url_via(url: str) -> _RedisUrl:
    return _RedisUrl(url)


@pytest.mark.integration
async def test_a_hung_redis_is_noticed_and_subscribers_resync(redis_url: str) -> None:
    """Redis stops answering without closing anything (a hung server, a dead route): the
    publisher gives up its batches instead of waiting, the reader's PING goes unanswered
    and it reconnects, and once Redis answers again the callbacks run and delivery
    resumes."""
    prefix = f"test:{uuid.uuid4().hex}:"
    url = make_url_via(redis_url)
    async with TcpProxy(url.host, url.port) as proxy:
        client = aioredis.Redis.from_url(url.via(proxy.port), socket_connect_timeout=1)
        broker = RedisBroker(
            client, prefix=prefix, max_backoff=0.2, publish_timeout=0.3, liveness_seconds=0.3
        )
        resyncs: list[str] = []
        broker.on_disconnect(lambda: resyncs.append("lost"))
        broker.on_reconnect(lambda: resyncs.append("resync"))
        try:
            async with broker.subscribe("t.h") as sub:
                await broker.publish("t.h", b"before")
                assert (await receive(sub)).data == b"before"
                await proxy.hang()
                await broker.publish("t.h", b"lost")
                await broker.flush()  # given up after publish_timeout, not waited on
                assert broker.dropped == 1
                await _until(lambda: broker.links_lost >= 1)  # the PING went unanswered
                await proxy.restore()
                await _until(lambda: "resync" in resyncs)
                assert resyncs[0] == "lost"
                await broker.publish("t.h", b"after")
                assert (await receive(sub)).data == b"after"
        finally:
            await broker.aclose()
            await client.aclose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _until(condition: Any, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.05)


async def _until_subscribed(client: aioredis.Redis, channel: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        with contextlib.suppress(RedisConnectionError):  # our own pooled connection died too
            if (await client.pubsub_numsub(channel))[0][1] > 0:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"{channel} was never re-subscribed")
        await asyncio.sleep(0.05)


async def _until_unsubscribed(client: aioredis.Redis, channel: str, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while (await client.pubsub_numsub(channel))[0][1] > 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"{channel} was never unsubscribed")
        await asyncio.sleep(0.05)


class _PrivateRedis:
    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _unavailable("the redis-server binary", FileNotFoundError("redis-server"))
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("private redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def _private_redis(directory: Path) -> Iterator[_PrivateRedis]:
    server = _PrivateRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
