"""Chat use cases with in-memory fakes: assertions on the fakes' state, the outbox and the
frames published (no database, no sockets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import msgspec
import pytest

from hypehere.adapters.memory.chat import (
    InMemoryChatPeers,
    InMemoryConversationReader,
    InMemoryConversationRepository,
    InMemoryHeldMessages,
    InMemoryHeldRoomMessages,
    InMemoryRoomReader,
    InMemoryRoomRepository,
    PlainRoomPasswordHasher,
)
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.memory.rate_limit import InMemoryRateLimiter
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.chat.create_room import CreateRoom, CreateRoomCommand
from hypehere.application.chat.held_rooms import LocateRoom, LocateRoomQuery
from hypehere.application.chat.join_room import JoinRoom, JoinRoomCommand, RoomPasswordAttempts
from hypehere.application.chat.leave_conversation import (
    LeaveConversation,
    LeaveConversationCommand,
)
from hypehere.application.chat.leave_room import LeaveRoom, LeaveRoomCommand
from hypehere.application.chat.list_conversations import (
    ListConversations,
    ListConversationsCommand,
)
from hypehere.application.chat.list_messages import ListMessages, ListMessagesCommand
from hypehere.application.chat.list_room_messages import (
    ListRoomMessages,
    ListRoomMessagesCommand,
)
from hypehere.application.chat.locate_message import (
    LocateMessage,
    LocateMessageQuery,
    LocateRoomMessage,
)
from hypehere.application.chat.mark_read import MarkRead, MarkReadCommand
from hypehere.application.chat.ports import ChatSettings, RoomPasswordHasher
from hypehere.application.chat.release_message import ReleaseMessage, ReleaseMessageCommand
from hypehere.application.chat.release_room import ReleaseRoom, ReleaseRoomCommand
from hypehere.application.chat.release_room_message import (
    ReleaseRoomMessage,
    ReleaseRoomMessageCommand,
)
from hypehere.application.chat.remove_message import RemoveMessage, RemoveMessageCommand
from hypehere.application.chat.remove_room_message import (
    RemoveRoomMessage,
    RemoveRoomMessageCommand,
)
from hypehere.application.chat.restore_message import RestoreMessage, RestoreMessageCommand
from hypehere.application.chat.restore_room_message import (
    RestoreRoomMessage,
    RestoreRoomMessageCommand,
)
from hypehere.application.chat.restrict_room_member import (
    RestrictRoomMember,
    RestrictRoomMemberCommand,
)
from hypehere.application.chat.send_message import SendMessage, SendMessageCommand
from hypehere.application.chat.send_room_message import (
    SendRoomMessage,
    SendRoomMessageCommand,
)
from hypehere.application.chat.start_conversation import (
    StartConversation,
    StartConversationCommand,
)
from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.realtime import RealtimePublisher, decode_envelope
from hypehere.application.common.topics import conversation_topic, room_topic
from hypehere.domain.chat.errors import (
    BannedFromRoomError,
    BlockedError,
    CannotChatWithSelfError,
    ChatPartnerNotFoundError,
    ConversationNotFoundError,
    KickedFromRoomError,
    MessageNotFoundError,
    NotRoomAdminError,
    RoomFullError,
    RoomNotFoundError,
    RoomPasswordAttemptsError,
    WrongPasswordError,
)
from hypehere.domain.chat.model import (
    ChatPolicy,
    Folder,
    Message,
    RestrictionKind,
    RoomMessage,
)
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from hypehere.domain.shared.holding import MessageHoldPolicy, RoomTitleHold
from hypehere.domain.shared.ids import new_id

pytestmark = pytest.mark.unit

ALICE, BOB, CAROL = Actor("alice"), Actor("bob"), Actor("carol")


@dataclass
class RecordingBroker:
    published: list[tuple[str, bytes]] = field(default_factory=list)

    async def publish(self, topic: str, data: bytes) -> None:
        self.published.append((topic, data))

    def subscribe(self, *topics: str) -> Any:
        raise NotImplementedError

    def frames(self, topic: str) -> list[tuple[dict[str, Any], Any]]:
        out = []
        for published_topic, data in self.published:
            if published_topic == topic:
                envelope = decode_envelope(data)
                out.append((msgspec.json.decode(bytes(envelope.frame)), envelope))
        return out


@dataclass
class World:
    peers: InMemoryChatPeers = field(default_factory=InMemoryChatPeers)
    conversations: InMemoryConversationRepository = field(
        default_factory=InMemoryConversationRepository
    )
    rooms: InMemoryRoomRepository = field(default_factory=InMemoryRoomRepository)
    uow: InMemoryUnitOfWork = field(default_factory=InMemoryUnitOfWork)
    outbox: InMemoryOutbox = field(default_factory=InMemoryOutbox)
    broker: RecordingBroker = field(default_factory=RecordingBroker)
    clock: FixedClock = field(default_factory=FixedClock)
    held: InMemoryHeldMessages = field(default_factory=InMemoryHeldMessages)
    held_in_rooms: InMemoryHeldRoomMessages = field(default_factory=InMemoryHeldRoomMessages)
    hold: MessageHoldPolicy = field(default_factory=lambda: MessageHoldPolicy(first_items=0))

    def __post_init__(self) -> None:
        self.conversations = InMemoryConversationRepository(peers=self.peers, outbox=self.outbox)
        for user in ("alice", "bob", "carol", "dave"):
            self.peers.add_user(user)
        self.publisher = RealtimePublisher(self.broker)
        self.reader = InMemoryConversationReader(self.conversations, self.peers)
        self.room_reader = InMemoryRoomReader(self.rooms)

    def start(self) -> StartConversation:
        return StartConversation(self.uow, self.conversations, self.reader, self.peers, self.clock)

    def send(self) -> SendMessage:
        return SendMessage(
            self.uow,
            self.conversations,
            self.publisher,
            self.clock,
            self.peers,
            self.held,
            self.outbox,
            self.hold,
        )

    def send_in_room(self) -> SendRoomMessage:
        return SendRoomMessage(
            self.uow,
            self.rooms,
            self.publisher,
            self.clock,
            self.peers,
            self.held_in_rooms,
            self.outbox,
            self.hold,
        )

    async def history(self, actor: Actor, conversation_id: str) -> list[Any]:
        uc = ListMessages(self.uow, self.conversations, self.reader, self.held)
        result = await uc.execute(ListMessagesCommand(actor, conversation_id))
        return [(m.content, m.moderation) for m in result.items]

    async def room_history(self, actor: Actor, room_id: str, **paging: Any) -> list[Any]:
        uc = ListRoomMessages(self.uow, self.rooms, self.room_reader, self.held_in_rooms)
        result = await uc.execute(ListRoomMessagesCommand(actor, room_id, **paging))
        return [(m.content, m.moderation) for m in result.items]

    async def shown(self, actor: Actor, conversation_id: str) -> list[Any]:
        """The history as `actor` reads it: (content, moderation, removed)."""
        uc = ListMessages(self.uow, self.conversations, self.reader, self.held)
        result = await uc.execute(ListMessagesCommand(actor, conversation_id))
        return [(m.content, m.moderation, m.removed) for m in result.items]

    async def room_shown(self, actor: Actor, room_id: str) -> list[Any]:
        uc = ListRoomMessages(self.uow, self.rooms, self.room_reader, self.held_in_rooms)
        result = await uc.execute(ListRoomMessagesCommand(actor, room_id))
        return [(m.content, m.moderation, m.removed) for m in result.items]

    def release(self) -> ReleaseMessage:
        return ReleaseMessage(self.uow, self.conversations, self.held, self.publisher, self.clock)

    def release_in_room(self) -> ReleaseRoomMessage:
        return ReleaseRoomMessage(
            self.uow, self.rooms, self.publisher, self.clock, self.held_in_rooms, self.outbox
        )

    def remove(self) -> RemoveMessage:
        return RemoveMessage(self.uow, self.conversations, self.held, self.publisher, self.clock)

    def remove_in_room(self) -> RemoveRoomMessage:
        return RemoveRoomMessage(
            self.uow, self.rooms, self.publisher, self.clock, self.held_in_rooms
        )

    def restore(self) -> RestoreMessage:
        return RestoreMessage(self.uow, self.conversations, self.held, self.release())

    def restore_in_room(self) -> RestoreRoomMessage:
        return RestoreRoomMessage(self.uow, self.rooms, self.held_in_rooms, self.release_in_room())

    async def open(self, opener: Actor, other: str) -> str:
        result = await self.start().execute(StartConversationCommand(actor=opener, user_id=other))
        return result.conversation.id

    async def inbox(self, actor: Actor, folder: Folder = Folder.INBOX) -> list[Any]:
        uc = ListConversations(self.uow, self.reader)
        return (await uc.execute(ListConversationsCommand(actor=actor, folder=folder))).items


@pytest.fixture
def world() -> World:
    return World()


async def test_start_is_get_or_create(world: World) -> None:
    first = await world.start().execute(StartConversationCommand(actor=ALICE, user_id="bob"))
    second = await world.start().execute(StartConversationCommand(actor=BOB, user_id="alice"))
    assert first.created and not second.created
    assert first.conversation.id == second.conversation.id
    assert len(world.conversations.conversations) == 1


@pytest.mark.parametrize(
    ("policy", "follows", "folder"),
    [
        (ChatPolicy.EVERYONE, False, Folder.INBOX),
        (ChatPolicy.FOLLOWING, False, Folder.REQUESTS),
        (ChatPolicy.FOLLOWING, True, Folder.INBOX),
        (ChatPolicy.NOBODY_NEW, True, Folder.REQUESTS),
    ],
)
async def test_recipients_folder_follows_their_policy(
    world: World, policy: ChatPolicy, follows: bool, folder: Folder
) -> None:
    world.peers.settings["bob"] = ChatSettings(chat_policy=policy)
    if follows:
        world.peers.following.add(("bob", "alice"))
    conversation_id = await world.open(ALICE, "bob")
    stored = world.conversations.conversations[conversation_id]
    assert stored.participant("bob").folder is folder
    assert stored.participant("alice").folder is Folder.INBOX


async def test_start_refuses_blocked_missing_and_self(world: World) -> None:
    world.peers.blocks.add(("bob", "alice"))
    with pytest.raises(BlockedError):
        await world.open(ALICE, "bob")
    with pytest.raises(ChatPartnerNotFoundError):
        await world.open(ALICE, "nobody")
    with pytest.raises(CannotChatWithSelfError):
        await world.open(ALICE, "alice")
    assert world.conversations.conversations == {}


async def test_send_stores_then_publishes_and_writes_the_outbox(world: World) -> None:
    conversation_id = await world.open(ALICE, "bob")
    result = await world.send().execute(
        SendMessageCommand(
            actor=ALICE,
            conversation_id=conversation_id,
            content=" hi ",
            client_id="c1",
            origin="conn-1",
        )
    )
    assert not result.duplicate
    assert result.message.content == "hi"
    [stored] = world.conversations.messages[conversation_id]
    assert (stored.seq, stored.client_id) == (1, "c1")
    # the send path asks its unit of work for autocommit; the broadcast runs after the
    # commit, in the background
    assert world.uow.autocommits == 1
    await world.uow.settle()
    [(frame, envelope)] = world.broker.frames(conversation_topic(conversation_id))
    assert frame["type"] == "message"
    assert frame["message"]["id"] == stored.id
    assert envelope.origin == "conn-1"
    [event] = world.outbox.messages
    assert event.topic == "chat.message_sent"
    assert event.payload == {
        "message_id": stored.id,
        "conversation_id": conversation_id,
        "sender_id": "alice",
        "recipient_ids": ["bob"],
        "is_request": False,
    }


async def test_a_retry_returns_the_stored_message_without_side_effects(world: World) -> None:
    conversation_id = await world.open(ALICE, "bob")
    command = SendMessageCommand(
        actor=ALICE, conversation_id=conversation_id, content="hi", client_id="c1"
    )
    first = await world.send().execute(command)
    again = await world.send().execute(command)
    assert again.duplicate
    assert again.message == first.message
    assert len(world.conversations.messages[conversation_id]) == 1
    assert len(world.outbox.messages) == 1
    await world.uow.settle()
    assert len(world.broker.published) == 1


async def test_requests_folder_messages_are_marked_as_requests(world: World) -> None:
    world.peers.settings["bob"] = ChatSettings(chat_policy=ChatPolicy.NOBODY_NEW)
    conversation_id = await world.open(ALICE, "bob")
    await world.send().execute(
        SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content="hello")
    )
    assert world.outbox.messages[0].payload["is_request"] is True
    assert [c.id for c in await world.inbox(BOB, Folder.REQUESTS)] == [conversation_id]
    assert await world.inbox(BOB) == []


async def test_answering_a_request_accepts_it(world: World) -> None:
    world.peers.settings["bob"] = ChatSettings(chat_policy=ChatPolicy.NOBODY_NEW)
    conversation_id = await world.open(ALICE, "bob")
    send = world.send()
    await send.execute(
        SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content="hi")
    )
    await send.execute(
        SendMessageCommand(actor=BOB, conversation_id=conversation_id, content="hey")
    )
    assert [c.id for c in await world.inbox(BOB)] == [conversation_id]
    assert await world.inbox(BOB, Folder.REQUESTS) == []
    await send.execute(
        SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content="!")
    )
    assert world.outbox.messages[-1].payload["is_request"] is False


async def test_send_refuses_strangers_blocked_pairs_and_bad_content(world: World) -> None:
    conversation_id = await world.open(ALICE, "bob")
    with pytest.raises(ConversationNotFoundError):
        await world.send().execute(
            SendMessageCommand(actor=CAROL, conversation_id=conversation_id, content="hi")
        )
    with pytest.raises(InvalidInputError):
        await world.send().execute(
            SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content="x" * 4001)
        )
    world.peers.blocks.add(("alice", "bob"))
    with pytest.raises(BlockedError):
        await world.send().execute(
            SendMessageCommand(actor=BOB, conversation_id=conversation_id, content="hi")
        )
    assert world.conversations.messages[conversation_id] == []
    assert world.outbox.messages == []


async def test_leaving_then_a_new_message_readds_and_counts_only_later_messages(
    world: World,
) -> None:
    conversation_id = await world.open(ALICE, "bob")
    send = world.send()
    for text in ("one", "two"):
        await send.execute(
            SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content=text)
        )
    assert (await world.inbox(BOB))[0].unread_count == 2
    world.clock.advance(seconds=1)
    await LeaveConversation(world.uow, world.conversations, world.clock).execute(
        LeaveConversationCommand(actor=BOB, conversation_id=conversation_id)
    )
    assert await world.inbox(BOB) == []
    world.clock.advance(seconds=1)
    await send.execute(
        SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content="three")
    )
    [view] = await world.inbox(BOB)
    assert view.unread_count == 1
    assert view.last_message is not None
    assert view.last_message.content == "three"


@pytest.mark.parametrize(
    ("reader_on", "sender_on", "receipt"),
    [(True, True, True), (False, True, False), (True, False, False), (False, False, False)],
)
async def test_read_receipts_need_both_sides_consent(
    world: World, reader_on: bool, sender_on: bool, receipt: bool
) -> None:
    world.peers.settings["bob"] = ChatSettings(send_read_receipts=reader_on)
    world.peers.settings["alice"] = ChatSettings(send_read_receipts=sender_on)
    conversation_id = await world.open(ALICE, "bob")
    sent = await world.send().execute(
        SendMessageCommand(actor=ALICE, conversation_id=conversation_id, content="hi")
    )
    result = await MarkRead(world.uow, world.conversations, world.peers, world.publisher).execute(
        MarkReadCommand(actor=BOB, conversation_id=conversation_id)
    )
    assert result.last_read_message_id == sent.message.id
    assert result.receipt_sent_to == (["alice"] if receipt else [])
    await world.uow.settle()
    frame, envelope = world.broker.frames(conversation_topic(conversation_id))[-1]
    assert frame == {"type": "read", "user_id": "bob", "last_read_message_id": sent.message.id}
    assert ("alice" in envelope.only_user_ids) is receipt
    assert (await world.inbox(BOB))[0].unread_count == 0


async def test_a_new_accounts_first_messages_are_held_until_released(world: World) -> None:
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    world.peers.joined["alice"] = world.clock.now()
    conversation_id = await world.open(ALICE, "bob")
    send = world.send()
    held = await send.execute(
        SendMessageCommand(ALICE, conversation_id, "hello, first message", client_id="c1")
    )
    assert held.message.moderation == "held"
    assert [m.topic for m in world.outbox.messages] == ["chat.message_held"]
    await world.uow.settle()
    assert world.broker.published == []  # nobody is told
    assert (await world.inbox(BOB))[0].unread_count == 0
    assert await world.history(BOB, conversation_id) == []
    assert await world.history(ALICE, conversation_id) == [("hello, first message", "held")]
    again = await send.execute(
        SendMessageCommand(ALICE, conversation_id, "hello, first message", client_id="c1")
    )
    assert (again.duplicate, again.message.id) == (True, held.message.id)
    with pytest.raises(MessageNotFoundError):  # the recipient cannot locate (report) it
        await LocateMessage(world.uow, world.conversations, world.held).execute(
            LocateMessageQuery(BOB, held.message.id)
        )
    second = await send.execute(SendMessageCommand(ALICE, conversation_id, "and a second"))
    assert second.message.moderation == "visible"  # only the first one is held
    assert (await world.inbox(BOB))[0].unread_count == 1
    assert await world.history(BOB, conversation_id) == [("and a second", "visible")]
    assert await world.history(ALICE, conversation_id) == [
        ("hello, first message", "held"),
        ("and a second", "visible"),
    ]

    release = ReleaseMessage(
        world.uow, world.conversations, world.held, world.publisher, world.clock
    )
    with pytest.raises(StaffOnlyError):
        await release.execute(ReleaseMessageCommand(ALICE, held.message.id))
    staff = Actor("mod", Role.MODERATOR)
    assert (await release.execute(ReleaseMessageCommand(staff, held.message.id))).changed
    assert not (await release.execute(ReleaseMessageCommand(staff, held.message.id))).changed
    assert (await world.inbox(BOB))[0].unread_count == 2
    released = [("hello, first message", "visible"), ("and a second", "visible")]
    assert await world.history(BOB, conversation_id) == released
    assert await world.history(ALICE, conversation_id) == released
    await world.uow.settle()
    [(frame, _envelope)] = world.broker.frames(conversation_topic(conversation_id))[-1:]
    assert frame["message"]["id"] == held.message.id and "moderation" not in frame["message"]
    assert world.outbox.messages[-1].topic == "chat.message_sent"


async def test_a_block_made_while_a_message_is_held_stops_its_release(world: World) -> None:
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    world.peers.joined["alice"] = world.clock.now()
    conversation_id = await world.open(ALICE, "bob")
    held = await world.send().execute(SendMessageCommand(ALICE, conversation_id, "hello Bob"))
    world.peers.blocks.add(("bob", "alice"))  # Bob blocks Alice before the verdict
    release = ReleaseMessage(
        world.uow, world.conversations, world.held, world.publisher, world.clock
    )
    staff = Actor("mod", Role.MODERATOR)
    assert not (await release.execute(ReleaseMessageCommand(staff, held.message.id))).changed
    world.peers.blocks.clear()  # unblocking does not deliver it later either
    assert not (await release.execute(ReleaseMessageCommand(staff, held.message.id))).changed
    await world.uow.settle()
    assert world.broker.published == []
    assert world.conversations.messages[conversation_id] == []
    assert (await world.inbox(BOB))[0].unread_count == 0
    assert await world.history(BOB, conversation_id) == []
    assert await world.history(ALICE, conversation_id) == [("hello Bob", "held")]
    assert [m.topic for m in world.outbox.messages] == ["chat.message_held"]
    assert await world.held.waiting_before(world.clock.now() + timedelta(days=1), 10) == []


STAFF = Actor("mod", Role.MODERATOR)


async def test_moderation_removes_a_delivered_message_for_everyone(world: World) -> None:
    """A placeholder (no text, `removed`) in both histories and the inbox's last message,
    and a `message_removed` frame to the conversation after commit; idempotent; an
    overturned appeal restores the text."""
    conversation_id = await world.open(ALICE, "bob")
    kept = await world.send().execute(SendMessageCommand(ALICE, conversation_id, "hello"))
    sent = await world.send().execute(SendMessageCommand(ALICE, conversation_id, "scam text"))
    await world.uow.settle()
    frames_before = len(world.broker.frames(conversation_topic(conversation_id)))
    with pytest.raises(StaffOnlyError):
        await world.remove().execute(RemoveMessageCommand(BOB, sent.message.id))
    assert (await world.remove().execute(RemoveMessageCommand(STAFF, sent.message.id))).changed
    again = await world.remove().execute(RemoveMessageCommand(STAFF, sent.message.id))
    assert again.changed is False
    with pytest.raises(MessageNotFoundError):
        await world.remove().execute(RemoveMessageCommand(STAFF, "missing"))
    expected = [("", "visible", True), ("hello", "visible", False)]
    assert await world.shown(BOB, conversation_id) == expected
    assert await world.shown(ALICE, conversation_id) == expected
    last = (await world.inbox(BOB))[0].last_message
    assert last is not None and (last.id, last.content, last.removed) == (sent.message.id, "", True)
    await world.uow.settle()
    [(frame, envelope)] = world.broker.frames(conversation_topic(conversation_id))[frames_before:]
    assert frame["type"] == "message_removed" and envelope.origin is None
    assert frame["message"]["id"] == sent.message.id
    assert (frame["message"]["content"], frame["message"]["removed"]) == ("", True)
    assert kept.message.removed is False and "removed" not in msgspec.to_builtins(kept.message)

    restored = await world.restore().execute(RestoreMessageCommand(STAFF, sent.message.id))
    assert restored.changed is True
    assert await world.shown(BOB, conversation_id) == [
        ("scam text", "visible", False),
        ("hello", "visible", False),
    ]
    assert not (
        await world.restore().execute(RestoreMessageCommand(STAFF, kept.message.id))
    ).changed


async def test_removing_a_held_message_rejects_it(world: World) -> None:
    """Never delivered (a later release changes nothing, it stops waiting for a check), no
    frame; its sender alone still sees it, as a removed placeholder. An overturned appeal
    releases it then."""
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    world.peers.joined["alice"] = world.clock.now()
    conversation_id = await world.open(ALICE, "bob")
    held = await world.send().execute(SendMessageCommand(ALICE, conversation_id, "scam text"))
    assert held.message.moderation == "held"
    assert (await world.remove().execute(RemoveMessageCommand(STAFF, held.message.id))).changed
    again = await world.remove().execute(RemoveMessageCommand(STAFF, held.message.id))
    assert again.changed is False
    assert not (
        await world.release().execute(ReleaseMessageCommand(STAFF, held.message.id))
    ).changed
    assert await world.held.waiting_before(world.clock.now() + timedelta(days=1), 10) == []
    await world.uow.settle()
    assert world.broker.published == []
    assert world.conversations.messages[conversation_id] == []
    assert await world.shown(BOB, conversation_id) == []
    assert (await world.inbox(BOB))[0].unread_count == 0
    assert await world.shown(ALICE, conversation_id) == [("", "held", True)]

    assert (await world.restore().execute(RestoreMessageCommand(STAFF, held.message.id))).changed
    assert await world.shown(BOB, conversation_id) == [("scam text", "visible", False)]
    await world.uow.settle()
    [(frame, _)] = world.broker.frames(conversation_topic(conversation_id))
    assert (frame["type"], frame["message"]["id"]) == ("message", held.message.id)


async def test_moderation_removes_room_messages_delivered_or_held(world: World) -> None:
    """A delivered room message: a placeholder in every member's history and a
    `message_removed` frame to the room; a held one (a new account's first): rejected,
    never in the room, its sender's placeholder only."""
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    world.peers.joined["bob"] = world.clock.now()
    room_id = await make_room(world)
    for actor in (BOB, CAROL):
        await join_uc(world).execute(JoinRoomCommand(actor=actor, room_id=room_id))
    held = await world.send_in_room().execute(SendRoomMessageCommand(BOB, room_id, "held one"))
    sent = await world.send_in_room().execute(SendRoomMessageCommand(CAROL, room_id, "scam"))
    assert (held.message.moderation, sent.message.moderation) == ("held", "visible")
    await world.uow.settle()
    topic = room_topic(room_id)
    frames_before = len(world.broker.frames(topic))
    remove = world.remove_in_room()
    with pytest.raises(StaffOnlyError):
        await remove.execute(RemoveRoomMessageCommand(ALICE, sent.message.id))
    for message_id in (sent.message.id, held.message.id):
        assert (await remove.execute(RemoveRoomMessageCommand(STAFF, message_id))).changed
        assert not (await remove.execute(RemoveRoomMessageCommand(STAFF, message_id))).changed
    release = world.release_in_room()
    assert not (await release.execute(ReleaseRoomMessageCommand(STAFF, held.message.id))).changed
    await world.uow.settle()
    [(frame, _)] = world.broker.frames(topic)[frames_before:]  # the delivered one only
    assert frame["type"] == "message_removed"
    assert (frame["message"]["id"], frame["message"]["room_id"]) == (sent.message.id, room_id)
    assert (frame["message"]["content"], frame["message"]["removed"]) == ("", True)
    assert await world.room_shown(ALICE, room_id) == [("", "visible", True)]
    assert await world.room_shown(CAROL, room_id) == [("", "visible", True)]
    assert await world.room_shown(BOB, room_id) == [("", "held", True), ("", "visible", True)]

    restore = world.restore_in_room()
    assert (await restore.execute(RestoreRoomMessageCommand(STAFF, sent.message.id))).changed
    assert (await restore.execute(RestoreRoomMessageCommand(STAFF, held.message.id))).changed
    assert await world.room_shown(ALICE, room_id) == [
        ("held one", "visible", False),  # released with the restore: the newest now
        ("scam", "visible", False),
    ]


class RacedHeldMessages(InMemoryHeldMessages):
    """The early count (`holds`) reads before a concurrent send's hold: one place left."""

    def __init__(self) -> None:
        super().__init__()
        self.stale_reads = 1

    async def written_by(self, sender_id: str, at_most: int) -> int:
        if self.stale_reads:
            self.stale_reads -= 1
            return 0
        return await super().written_by(sender_id, at_most)


class RacedHeldRoomMessages(InMemoryHeldRoomMessages):
    def __init__(self) -> None:
        super().__init__()
        self.stale_reads = 1

    async def written_by(self, sender_id: str, at_most: int) -> int:
        if self.stale_reads:
            self.stale_reads -= 1
            return 0
        return await super().written_by(sender_id, at_most)


async def test_a_send_that_loses_the_tiers_last_place_to_a_concurrent_one_is_delivered(
    world: World,
) -> None:
    """A new account's first N: two sends raced for the last place and the other one was
    held first; the hold's own count (atomic with the insert) refuses this one, which is
    then delivered as an established account's message would be (direct and room)."""
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    world.peers.joined["alice"] = world.clock.now()
    world.held, world.held_in_rooms = RacedHeldMessages(), RacedHeldRoomMessages()
    conversation_id = await world.open(ALICE, "bob")
    room_id = await make_room(world)
    winner = Message(new_id(), conversation_id, "alice", "won", None, 0, world.clock.now())
    await world.held.hold(winner)
    await world.held_in_rooms.hold(
        RoomMessage(new_id(), room_id, "alice", "won", None, 0, world.clock.now())
    )
    sent = await world.send().execute(SendMessageCommand(ALICE, conversation_id, "lost"))
    in_room = await world.send_in_room().execute(SendRoomMessageCommand(ALICE, room_id, "lost"))
    assert (sent.message.moderation, in_room.message.moderation) == ("visible", "visible")
    assert [m.content for m in world.conversations.messages[conversation_id]] == ["lost"]
    assert [m.content for m in world.rooms.messages[room_id]] == ["lost"]
    assert [m.topic for m in world.outbox.messages] == [
        "chat.message_sent",
        "chat.room_message_sent",
    ]
    await world.uow.settle()
    [(frame, _)] = world.broker.frames(conversation_topic(conversation_id))
    assert frame["message"]["id"] == sent.message.id
    assert world.broker.frames(room_topic(room_id))[-1][0]["message"]["id"] == in_room.message.id


# --- rooms -----------------------------------------------------------------------------


async def make_room(world: World, hold: bool = False, **overrides: Any) -> str:
    values: dict[str, Any] = {"name": "Room", "language": "ko", "max_participants": 3}
    values.update(overrides)
    view = await CreateRoom(
        world.uow,
        world.rooms,
        world.room_reader,
        PlainRoomPasswordHasher(),
        world.clock,
        world.outbox,
        RoomTitleHold(on=hold),
    ).execute(CreateRoomCommand(actor=ALICE, **values))
    return view.id


async def test_a_new_room_is_held_for_its_creator_until_released(world: World) -> None:
    room_id = await make_room(world, hold=True)
    assert [m.topic for m in world.outbox.messages] == ["chat.room_held"]
    mine = await world.room_reader.view(room_id, ALICE.user_id)
    assert mine is not None and mine.moderation == "held"
    assert await world.room_reader.view(room_id, BOB.user_id) is None
    with pytest.raises(RoomNotFoundError):
        await join_uc(world).execute(JoinRoomCommand(BOB, room_id))
    release = ReleaseRoom(world.uow, world.rooms)
    with pytest.raises(StaffOnlyError):
        await release.execute(ReleaseRoomCommand(ALICE, room_id))
    staff = Actor("mod", Role.MODERATOR)
    assert (await release.execute(ReleaseRoomCommand(staff, room_id))).changed is True
    assert (await release.execute(ReleaseRoomCommand(staff, room_id))).changed is False
    joined = await join_uc(world).execute(JoinRoomCommand(BOB, room_id))
    assert (joined.moderation, joined.participant_count) == ("visible", 2)
    located = await LocateRoom(world.uow, world.rooms).execute(LocateRoomQuery(staff, room_id))
    assert (located.created_by, located.text) == (ALICE.user_id, "Room")


async def test_a_new_accounts_first_room_messages_are_held_until_released(
    world: World,
) -> None:
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    world.peers.joined["bob"] = world.clock.now()
    room_id = await make_room(world)
    for actor in (BOB, CAROL):
        await join_uc(world).execute(JoinRoomCommand(actor=actor, room_id=room_id))
    await world.uow.settle()
    topic = room_topic(room_id)
    frames_before = len(world.broker.frames(topic))
    send = world.send_in_room()
    held = await send.execute(SendRoomMessageCommand(BOB, room_id, "hi all", client_id="c1"))
    assert (held.duplicate, held.message.moderation) == (False, "held")
    assert [m.topic for m in world.outbox.messages] == ["chat.room_message_held"]
    await world.uow.settle()
    assert len(world.broker.frames(topic)) == frames_before  # nobody is told
    assert world.rooms.messages[room_id] == []  # no place in the room yet
    assert await world.room_history(CAROL, room_id) == []
    assert await world.room_history(ALICE, room_id) == []
    assert await world.room_history(BOB, room_id) == [("hi all", "held")]  # its sender
    again = await send.execute(SendRoomMessageCommand(BOB, room_id, "hi all", client_id="c1"))
    assert (again.duplicate, again.message.id) == (True, held.message.id)
    locate = LocateRoomMessage(world.uow, world.rooms, world.held_in_rooms)
    with pytest.raises(MessageNotFoundError):  # another member cannot locate it
        await locate.execute(LocateMessageQuery(CAROL, held.message.id))
    assert (await locate.execute(LocateMessageQuery(BOB, held.message.id))).content == "hi all"
    staff = Actor("mod", Role.MODERATOR)
    assert (await locate.execute(LocateMessageQuery(staff, held.message.id))).sender_id == "bob"

    second = await send.execute(SendRoomMessageCommand(BOB, room_id, "anyone here?"))
    assert second.message.moderation == "visible"  # only the first one is held
    assert world.outbox.messages[-1].topic == "chat.room_message_sent"
    await world.uow.settle()
    assert world.broker.frames(topic)[-1][0]["message"]["content"] == "anyone here?"
    assert await world.room_history(CAROL, room_id) == [("anyone here?", "visible")]

    release = ReleaseRoomMessage(
        world.uow, world.rooms, world.publisher, world.clock, world.held_in_rooms, world.outbox
    )
    with pytest.raises(StaffOnlyError):
        await release.execute(ReleaseRoomMessageCommand(BOB, held.message.id))
    assert (await release.execute(ReleaseRoomMessageCommand(staff, held.message.id))).changed
    assert not (await release.execute(ReleaseRoomMessageCommand(staff, held.message.id))).changed
    await world.uow.settle()
    frame = world.broker.frames(topic)[-1][0]
    assert frame["message"]["id"] == held.message.id and "moderation" not in frame["message"]
    assert world.outbox.messages[-1].topic == "chat.room_message_sent"
    expected = [("hi all", "visible"), ("anyone here?", "visible")]  # appended: newest now
    assert await world.room_history(CAROL, room_id) == expected
    assert await world.room_history(BOB, room_id) == expected
    # a catch-up after the last message Carol had gets it
    after = world.rooms.messages[room_id][0].id
    assert await world.room_history(CAROL, room_id, after=after) == [("hi all", "visible")]
    assert (await locate.execute(LocateMessageQuery(CAROL, held.message.id))).sender_id == "bob"


async def test_a_held_room_message_of_a_sender_out_of_the_room_is_withheld(
    world: World,
) -> None:
    """Its sender left (even if back since) or was kicked or banned while it was held: the
    release delivers nothing (no frame, not in the room, not waiting any more), and it
    stays in its sender's own history, held."""
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=1)
    for user in ("bob", "carol", "dave"):
        world.peers.joined[user] = world.clock.now()
    room_id = await make_room(world, max_participants=4)
    for actor in (BOB, CAROL, Actor("dave")):
        await join_uc(world).execute(JoinRoomCommand(actor=actor, room_id=room_id))
    world.clock.advance(seconds=1)
    held = {
        actor.user_id: await world.send_in_room().execute(
            SendRoomMessageCommand(actor, room_id, f"hello from {actor.user_id}")
        )
        for actor in (BOB, CAROL, Actor("dave"))
    }
    world.clock.advance(seconds=1)
    leave = LeaveRoom(world.uow, world.rooms, world.publisher, world.clock)
    await leave.execute(LeaveRoomCommand(BOB, room_id))
    await join_uc(world).execute(JoinRoomCommand(actor=BOB, room_id=room_id))  # back
    restrict = RestrictRoomMember(world.uow, world.rooms, world.publisher, world.clock)
    await restrict.execute(
        RestrictRoomMemberCommand(ALICE, room_id, "carol", RestrictionKind.KICK, 10)
    )
    await restrict.execute(RestrictRoomMemberCommand(ALICE, room_id, "dave", RestrictionKind.BAN))
    await world.uow.settle()
    frames_before = len(world.broker.frames(room_topic(room_id)))

    release = world.release_in_room()
    for sent in held.values():
        command = ReleaseRoomMessageCommand(STAFF, sent.message.id)
        assert (await release.execute(command)).changed is False
        assert (await release.execute(command)).changed is False  # for good
    await world.uow.settle()
    assert len(world.broker.frames(room_topic(room_id))) == frames_before
    assert world.rooms.messages[room_id] == []
    assert await world.held_in_rooms.waiting_before(world.clock.now(), 10) == []
    assert await world.room_history(ALICE, room_id) == []
    assert await world.room_history(BOB, room_id) == [("hello from bob", "held")]
    assert [m.topic for m in world.outbox.messages if "room_message" in m.topic] == [
        "chat.room_message_held"
    ] * 3


async def test_room_messages_of_established_accounts_are_sent_for_a_scan(
    world: World,
) -> None:
    world.hold = MessageHoldPolicy(new_account_days=7, first_items=3)
    room_id = await make_room(world)
    sent = await world.send_in_room().execute(SendRoomMessageCommand(ALICE, room_id, "hello"))
    assert sent.message.moderation == "visible"
    assert world.held_in_rooms.rows == {}
    [event] = [m for m in world.outbox.messages if m.topic.startswith("chat.room_message")]
    assert event.topic == "chat.room_message_sent"
    assert event.payload["message_id"] == sent.message.id
    assert event.payload["room_id"] == room_id


def join_uc(
    world: World,
    hasher: RoomPasswordHasher | None = None,
    limiter: InMemoryRateLimiter | None = None,
    attempts: RoomPasswordAttempts | None = None,
) -> JoinRoom:
    return JoinRoom(
        world.uow,
        world.rooms,
        world.room_reader,
        hasher or PlainRoomPasswordHasher(),
        world.publisher,
        world.clock,
        limiter or InMemoryRateLimiter(),
        attempts or RoomPasswordAttempts(),
    )


class TransactionWatchingHasher:
    """Plain hashes, recording whether a unit of work was open during each verify."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._plain = PlainRoomPasswordHasher()
        self.verified_in_transaction: list[bool] = []

    async def hash(self, password: str) -> str:
        return await self._plain.hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verified_in_transaction.append(self._uow.in_transaction)
        return await self._plain.verify(password_hash, password)


async def test_the_room_password_is_verified_outside_any_transaction(world: World) -> None:
    room_id = await make_room(world, password="pw")
    hasher = TransactionWatchingHasher(world.uow)
    with pytest.raises(WrongPasswordError):
        await join_uc(world, hasher).execute(
            JoinRoomCommand(actor=BOB, room_id=room_id, password="no")
        )
    view = await join_uc(world, hasher).execute(
        JoinRoomCommand(actor=BOB, room_id=room_id, password="pw")
    )
    assert view.participant_count == 2
    assert hasher.verified_in_transaction == [False, False]


async def test_a_password_changed_during_the_check_is_refused(world: World) -> None:
    room_id = await make_room(world, password="old")

    class ChangingHasher(PlainRoomPasswordHasher):
        async def verify(self, password_hash: str, password: str) -> bool:
            ok = await super().verify(password_hash, password)
            world.rooms.rooms[room_id].password_hash = "plain$new"  # changed meanwhile
            return ok

    with pytest.raises(WrongPasswordError):
        await join_uc(world, ChangingHasher()).execute(
            JoinRoomCommand(actor=BOB, room_id=room_id, password="old")
        )
    assert world.rooms.counts[room_id] == 1


async def test_room_password_attempts_are_limited_per_room_and_user(world: World) -> None:
    room_id = await make_room(world, password="pw")
    other_room = await make_room(world, password="pw")
    limiter = InMemoryRateLimiter()
    attempts = RoomPasswordAttempts(limit=3, window_seconds=900)
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            await join_uc(world, limiter=limiter, attempts=attempts).execute(
                JoinRoomCommand(actor=BOB, room_id=room_id, password="guess")
            )
    with pytest.raises(RoomPasswordAttemptsError) as refused:
        await join_uc(world, limiter=limiter, attempts=attempts).execute(
            JoinRoomCommand(actor=BOB, room_id=room_id, password="pw")
        )
    assert 0 < refused.value.params["retry_after"] <= 900
    # another room, another user: their own budgets
    await join_uc(world, limiter=limiter, attempts=attempts).execute(
        JoinRoomCommand(actor=BOB, room_id=other_room, password="pw")
    )
    await join_uc(world, limiter=limiter, attempts=attempts).execute(
        JoinRoomCommand(actor=CAROL, room_id=room_id, password="pw")
    )
    # no limit configured (rate limits turned off): never refused
    unlimited = RoomPasswordAttempts(limit=None)
    for _ in range(5):
        with pytest.raises(WrongPasswordError):
            await join_uc(world, limiter=limiter, attempts=unlimited).execute(
                JoinRoomCommand(actor=BOB, room_id=room_id, password="guess")
            )


async def test_join_checks_password_and_capacity(world: World) -> None:
    room_id = await make_room(world, password="pw", max_participants=2)
    assert world.rooms.rooms[room_id].password_hash == "plain$pw"
    with pytest.raises(WrongPasswordError):
        await join_uc(world).execute(JoinRoomCommand(actor=BOB, room_id=room_id, password="no"))
    view = await join_uc(world).execute(JoinRoomCommand(actor=BOB, room_id=room_id, password="pw"))
    assert view.participant_count == 2
    with pytest.raises(RoomFullError):
        await join_uc(world).execute(JoinRoomCommand(actor=CAROL, room_id=room_id, password="pw"))
    await world.uow.settle()
    [(frame, _)] = world.broker.frames(room_topic(room_id))
    assert frame == {"type": "joined", "user_id": "bob", "participant_count": 2}


async def test_kicks_last_until_they_end_and_bans_are_for_good(world: World) -> None:
    room_id = await make_room(world)
    for actor in (BOB, CAROL):
        await join_uc(world).execute(JoinRoomCommand(actor=actor, room_id=room_id))
    restrict = RestrictRoomMember(world.uow, world.rooms, world.publisher, world.clock)
    with pytest.raises(NotRoomAdminError):
        await restrict.execute(
            RestrictRoomMemberCommand(
                actor=BOB, room_id=room_id, user_id="carol", kind=RestrictionKind.BAN
            )
        )
    await restrict.execute(
        RestrictRoomMemberCommand(
            actor=ALICE,
            room_id=room_id,
            user_id="bob",
            kind=RestrictionKind.KICK,
            duration_minutes=10,
        )
    )
    await restrict.execute(
        RestrictRoomMemberCommand(
            actor=ALICE, room_id=room_id, user_id="carol", kind=RestrictionKind.BAN
        )
    )
    assert world.rooms.counts[room_id] == 1
    await world.uow.settle()
    frames = world.broker.frames(room_topic(room_id))
    kicked, kicked_envelope = frames[-2]
    assert kicked["type"] == "kicked"
    assert kicked_envelope.close_user_id == "bob"
    assert frames[-1][0]["type"] == "banned"
    assert frames[-1][1].close_user_id == "carol"
    with pytest.raises(KickedFromRoomError):
        await join_uc(world).execute(JoinRoomCommand(actor=BOB, room_id=room_id))
    world.clock.advance(minutes=11)
    await join_uc(world).execute(JoinRoomCommand(actor=BOB, room_id=room_id))
    world.clock.advance(days=365)
    with pytest.raises(BannedFromRoomError):
        await join_uc(world).execute(JoinRoomCommand(actor=CAROL, room_id=room_id))
