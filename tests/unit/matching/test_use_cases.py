"""The matching use cases with in-memory fakes: queueing from the profile or the given
languages, a round opening anonymous conversations and announcing `matched`, the repeat
window, reruns asked while a round runs, expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import msgspec
import pytest

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.matching import InMemoryAnonymousConversations, InMemoryMatchingQueue
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.memory.presence import InMemoryPresence
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.common.actor import Actor
from hypehere.application.common.after_commit import wait_for_after_commit_actions
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.common.realtime import RealtimePublisher, decode_envelope
from hypehere.application.common.topics import matching_user_topic
from hypehere.application.matching.disconnects import socket_presence_key
from hypehere.application.matching.expire_queue import ExpireQueue, ExpireQueueCommand
from hypehere.application.matching.join_queue import JoinQueue, JoinQueueCommand
from hypehere.application.matching.ports import MatchingLimits, MatchingProfile
from hypehere.application.matching.run_matcher import RunMatcher, RunMatcherCommand
from hypehere.application.matching.track_matching_socket import (
    TrackMatchingSocket,
    TrackMatchingSocketCommand,
)
from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.errors import AlreadyQueuedError, InConversationError
from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry, Standing
from hypehere.domain.matching.policy import Exclusions, Pair, pair_key
from hypehere.domain.shared.languages import CefrLevel

pytestmark = pytest.mark.unit


class FakePeers:
    def __init__(self) -> None:
        self.profiles: dict[str, MatchingProfile] = {}
        self.blocks: set[frozenset[str]] = set()
        self.barred: set[str] = set()

    def add(self, user_id: str, native: str, target: str) -> None:
        self.profiles[user_id] = MatchingProfile(
            native, (LearnedLanguage(target, CefrLevel.B1),), active=True
        )

    async def profile(self, user_id: str) -> MatchingProfile | None:
        return self.profiles.get(user_id)

    async def exclusions(self, user_ids: Sequence[str]) -> Exclusions:
        ids = set(user_ids)
        return Exclusions(
            blocked=frozenset(b for b in self.blocks if b <= ids),
            barred=frozenset(self.barred & ids),
        )

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool:
        return pair_key(user_a, user_b) in self.blocks


class NoTrigger:
    def __init__(self) -> None:
        self.pokes = 0

    def poke(self) -> None:
        self.pokes += 1


class World:
    def __init__(self) -> None:
        self.clock = FixedClock()
        self.queue = InMemoryMatchingQueue()
        self.peers = FakePeers()
        self.conversations = InMemoryAnonymousConversations()
        self.uow = InMemoryUnitOfWork()
        self.broker = InMemoryBroker()
        self.publisher = RealtimePublisher(self.broker)
        self.trigger = NoTrigger()
        self.outbox = InMemoryOutbox()
        self.presence = InMemoryPresence(self.clock)
        self.limits = MatchingLimits(10, 30, socket_grace_seconds=30)

    def join_uc(self) -> JoinQueue:
        return JoinQueue(
            self.uow, self.queue, self.peers, self.conversations, self.trigger, self.clock
        )

    def matcher(self) -> RunMatcher:
        return RunMatcher(
            self.uow,
            self.queue,
            self.peers,
            self.conversations,
            self.publisher,
            self.outbox,
            self.clock,
            self.presence,
            self.limits,
        )

    async def join(self, user_id: str, **extra: str) -> None:
        command = JoinQueueCommand(actor=Actor(user_id), mode=ChatMode.TEXT)
        await self.join_uc().execute(msgspec.structs.replace(command, **extra))


@pytest.fixture
def world() -> World:
    w = World()
    w.peers.add("ko1", "ko", "en")
    w.peers.add("en1", "en", "ko")
    w.peers.add("ja1", "ja", "fr")
    return w


async def test_join_uses_the_profile_and_pokes_the_matcher_after_commit(world: World) -> None:
    await world.join("ko1")
    entry = await world.queue.get("ko1")
    assert entry is not None
    assert entry.native_language == "ko"
    assert [t.language for t in entry.targets] == ["en"]
    await wait_for_after_commit_actions()
    assert world.trigger.pokes == 1
    with pytest.raises(AlreadyQueuedError):
        await world.join("ko1")


async def test_a_join_carries_my_standing_from_past_chats(world: World) -> None:
    await world.join("ko1")
    await world.join("en1")
    [conversation_id] = (await world.matcher().execute(RunMatcherCommand())).conversation_ids
    conversation = await world.conversations.get(conversation_id)
    assert conversation is not None
    conversation.record_message("en1")
    conversation.leave("ko1", world.clock.now() + timedelta(seconds=10))
    conversation.leave("en1", world.clock.now() + timedelta(seconds=20))
    await world.conversations.save(conversation)
    world.clock.advance(minutes=1)
    await world.join("ko1")
    await world.join("en1")
    ko = await world.queue.get("ko1")
    en = await world.queue.get("en1")
    assert ko is not None and en is not None
    assert ko.standing == Standing(chats=1, replied=0, early_leaves=1)
    assert en.standing == Standing(chats=1, replied=1, early_leaves=0)
    assert en.standing.priority() > ko.standing.priority()


async def test_given_languages_override_the_profile(world: World) -> None:
    await world.join("ko1", native_language="ja", target_language="en")
    entry = await world.queue.get("ko1")
    assert entry is not None
    assert entry.native_language == "ja"
    assert entry.targets == (LearnedLanguage("en", CefrLevel.B1),)  # the profile's level
    await world.join("ja1", target_language="ko")
    other = await world.queue.get("ja1")
    assert other is not None
    assert other.targets == (LearnedLanguage("ko", CefrLevel.A1),)  # not in the profile


async def test_a_round_opens_a_conversation_and_announces_it(world: World) -> None:
    await world.join("ko1")
    await world.join("ja1")
    world.clock.advance(seconds=30)
    await world.join("en1")
    async with world.broker.subscribe(
        matching_user_topic("ko1"), matching_user_topic("en1")
    ) as subscription:
        made = await world.matcher().execute(RunMatcherCommand())
        await wait_for_after_commit_actions()
        stream = aiter(subscription)
        frames = [decode_envelope((await anext(stream)).data) for _ in range(2)]
    assert len(made.conversation_ids) == 1
    conversation = await world.conversations.get(made.conversation_ids[0])
    assert conversation is not None
    assert set(conversation.user_ids) == {"ko1", "en1"}
    payloads = [msgspec.json.decode(f.frame) for f in frames]
    assert {p["type"] for p in payloads} == {"matched"}
    assert {p["partner"]["native_language"] for p in payloads} == {"ko", "en"}
    assert all(set(p["partner"]) == {"native_language", "target_languages"} for p in payloads)
    assert [e.user_id for e in await world.queue.snapshot()] == ["ja1"]
    assert await world.queue.recent_waits(("ko", "en")) == [30.0]
    [event] = [m for m in world.outbox.messages if m.topic == "matching.matched"]
    assert event.payload["conversation_id"] == made.conversation_ids[0]
    assert event.payload["language_pair"] == ["en", "ko"]
    assert sorted(event.payload["wait_seconds"]) == [0.0, 30.0]
    assert event.payload["fit"] == "complementary"
    assert "ko1" not in str(event.payload) and "en1" not in str(event.payload)
    with pytest.raises(InConversationError):
        await world.join("ko1")


async def test_the_same_pair_waits_out_the_repeat_window(world: World) -> None:
    await world.join("ko1")
    await world.join("en1")
    first = await world.matcher().execute(RunMatcherCommand())
    conversation = await world.conversations.get(first.conversation_ids[0])
    assert conversation is not None
    conversation.end(world.clock.now())
    await world.conversations.save(conversation)
    world.clock.advance(hours=23)
    await world.join("ko1")
    await world.join("en1")
    assert (await world.matcher().execute(RunMatcherCommand())).conversation_ids == []
    world.clock.advance(hours=2)
    assert len((await world.matcher().execute(RunMatcherCommand())).conversation_ids) == 1


async def test_blocked_and_barred_are_left_waiting(world: World) -> None:
    world.peers.blocks.add(pair_key("ko1", "en1"))
    await world.join("ko1")
    await world.join("en1")
    assert (await world.matcher().execute(RunMatcherCommand())).conversation_ids == []
    world.peers.blocks.clear()
    world.peers.barred.add("en1")
    assert (await world.matcher().execute(RunMatcherCommand())).conversation_ids == []
    world.peers.barred.clear()
    assert len((await world.matcher().execute(RunMatcherCommand())).conversation_ids) == 1


async def test_a_run_that_finds_the_lock_taken_gets_a_rerun(world: World) -> None:
    """A join during a round: the round's holder reruns, so the new pair is made without
    waiting for another join."""
    await world.join("ko1")
    inside = asyncio.Event()
    release = asyncio.Event()

    async def slow(entries: list[QueueEntry]) -> list[Pair]:
        inside.set()
        await release.wait()
        return []

    holder = asyncio.create_task(world.queue.run_round(slow, world.clock.now()))
    await inside.wait()
    await world.join("en1")
    late = await world.matcher().execute(RunMatcherCommand())
    assert late.conversation_ids == []  # the lock was taken: it asked for a rerun
    release.set()
    await holder
    rerun = await world.matcher().execute(RunMatcherCommand())
    assert len(rerun.conversation_ids) == 1


async def test_expiry_drops_old_entries_and_tells_their_owners(world: World) -> None:
    await world.join("ko1")
    world.clock.advance(minutes=8)
    await world.join("ja1")
    world.clock.advance(minutes=3)
    expire = ExpireQueue(
        world.queue, world.publisher, world.clock, MatchingLimits(10, 30), world.presence
    )
    async with world.broker.subscribe(matching_user_topic("ko1")) as subscription:
        result = await expire.execute(ExpireQueueCommand())
        frame = decode_envelope((await anext(aiter(subscription))).data)
    assert result.expired == 1
    assert msgspec.json.decode(frame.frame) == {"type": "expired"}
    assert [e.user_id for e in await world.queue.snapshot()] == ["ja1"]


async def test_cleanup_ends_old_conversations_nobody_is_connected_to(world: World) -> None:
    from hypehere.adapters.memory.presence import InMemoryPresence
    from hypehere.application.matching.end_conversations import (
        EndAbandonedConversations,
        EndAbandonedConversationsCommand,
    )

    world.peers.add("ko2", "ko", "en")
    world.peers.add("en2", "en", "ko")
    await world.join("ko1")
    await world.join("en1")
    await world.join("ko2")
    await world.join("en2")
    made = (await world.matcher().execute(RunMatcherCommand())).conversation_ids
    assert len(made) == 2
    presence = InMemoryPresence(world.clock)
    first = await world.conversations.get(made[0])
    assert first is not None
    await presence.connect(first.user_ids[0], "socket", 3600)
    cleanup = EndAbandonedConversations(
        world.uow,
        world.conversations,
        presence,
        world.publisher,
        world.outbox,
        world.clock,
        MatchingLimits(10, 30),
    )
    world.clock.advance(minutes=29)
    assert (await cleanup.execute(EndAbandonedConversationsCommand())).ended == 0
    world.clock.advance(minutes=2)
    assert (await cleanup.execute(EndAbandonedConversationsCommand())).ended == 1
    kept = await world.conversations.get(made[0])
    ended = await world.conversations.get(made[1])
    assert kept is not None and not kept.ended
    assert ended is not None and ended.ended
    [event] = [m for m in world.outbox.messages if m.topic == "matching.conversation_ended"]
    assert event.payload["reason"] == "abandoned"
    assert event.payload["duration_seconds"] == 31 * 60
    assert event.payload["revealed"] is False


class FailingConversations(InMemoryAnonymousConversations):
    """The database is down: opening a conversation fails."""

    def __init__(self) -> None:
        super().__init__()
        self.failing = True

    async def add(self, conversation: AnonymousConversation) -> None:
        if self.failing:
            raise StorageUnavailableError("The database is unavailable.")
        await super().add(conversation)


async def test_a_failed_opening_puts_the_pair_back_in_line(world: World) -> None:
    world.conversations = FailingConversations()
    await world.join("ko1")
    world.clock.advance(seconds=5)
    await world.join("ja1")
    world.clock.advance(seconds=5)
    await world.join("en1")
    before = await world.queue.snapshot()
    async with world.broker.subscribe(
        matching_user_topic("ko1"), matching_user_topic("en1")
    ) as subscription:
        with pytest.raises(StorageUnavailableError):
            await world.matcher().execute(RunMatcherCommand())
        await wait_for_after_commit_actions()
        # same entries, same places in line (joined_at kept), nobody announced
        assert await world.queue.snapshot() == before
        assert world.outbox.messages == []
        with pytest.raises(AlreadyQueuedError):
            await world.join("ko1")
        # once the database is back, the next run pairs them (they never met)
        world.conversations.failing = False
        made = await world.matcher().execute(RunMatcherCommand())
        await wait_for_after_commit_actions()
        stream = aiter(subscription)
        frames = [decode_envelope((await anext(stream)).data) for _ in range(2)]
    assert len(made.conversation_ids) == 1
    assert {msgspec.json.decode(f.frame)["type"] for f in frames} == {"matched"}
    assert [e.user_id for e in await world.queue.snapshot()] == ["ja1"]


async def socket(world: World, user_id: str, *, opened: bool) -> None:
    """What `/ws/matching` does on open and close (presence lease, then the record)."""
    if opened:
        await world.presence.connect(socket_presence_key(user_id), f"conn-{user_id}", 30)
    else:
        await world.presence.disconnect(socket_presence_key(user_id), f"conn-{user_id}")
    track = TrackMatchingSocket(world.queue, world.presence, world.clock)
    await track.execute(TrackMatchingSocketCommand(actor=Actor(user_id), opened=opened))


async def test_within_the_grace_a_closed_socket_keeps_the_entry(world: World) -> None:
    await world.join("ko1")
    await socket(world, "ko1", opened=True)
    await socket(world, "ko1", opened=False)  # on the process that then dies
    world.clock.advance(seconds=29)
    await world.join("en1")
    # within the grace period the entry stays and is matched as usual
    made = await world.matcher().execute(RunMatcherCommand())
    assert len(made.conversation_ids) == 1
    await world.queue.release_matched(["ko1", "en1"])


async def test_the_matcher_drops_an_entry_whose_socket_is_gone(world: World) -> None:
    await world.join("ko1")
    await socket(world, "ko1", opened=True)
    await socket(world, "ko1", opened=False)
    world.clock.advance(seconds=31)
    await world.join("en1")
    assert (await world.matcher().execute(RunMatcherCommand())).conversation_ids == []
    assert [e.user_id for e in await world.queue.snapshot()] == ["en1"]


async def test_a_socket_back_in_another_process_keeps_the_entry(world: World) -> None:
    await world.join("ko1")
    await socket(world, "ko1", opened=True)
    await socket(world, "ko1", opened=False)
    # reconnected elsewhere, but the record raced: the presence lease is what counts
    await world.presence.connect(socket_presence_key("ko1"), "conn-elsewhere", 300)  # renewed
    world.clock.advance(seconds=31)
    expire = ExpireQueue(world.queue, world.publisher, world.clock, world.limits, world.presence)
    assert (await expire.execute(ExpireQueueCommand())).disconnected == 0
    assert [e.user_id for e in await world.queue.snapshot()] == ["ko1"]
    assert await world.queue.socket_marks() == {"ko1": None}


async def test_a_socket_whose_process_died_is_dropped_after_its_lease_and_grace(
    world: World,
) -> None:
    await world.join("ko1")
    await socket(world, "ko1", opened=True)  # then the process dies: no close recorded
    expire = ExpireQueue(world.queue, world.publisher, world.clock, world.limits, world.presence)
    world.clock.advance(seconds=20)
    assert (await expire.execute(ExpireQueueCommand())).disconnected == 0  # lease still held
    world.clock.advance(seconds=15)  # the 30 s lease lapsed: found gone now
    assert (await expire.execute(ExpireQueueCommand())).disconnected == 0
    world.clock.advance(seconds=31)
    result = await expire.execute(ExpireQueueCommand())
    assert (result.disconnected, result.expired) == (1, 0)
    assert await world.queue.snapshot() == []


async def test_a_user_queued_without_a_socket_is_not_dropped(world: World) -> None:
    await socket(world, "ko1", opened=True)
    await socket(world, "ko1", opened=False)
    world.clock.advance(minutes=2)
    await world.join("ko1")  # a fresh entry is not dropped for an old close
    world.clock.advance(minutes=2)
    expire = ExpireQueue(world.queue, world.publisher, world.clock, world.limits, world.presence)
    assert (await expire.execute(ExpireQueueCommand())).disconnected == 0
    assert [e.user_id for e in await world.queue.snapshot()] == ["ko1"]
