"""In-memory chat adapters for use-case tests: repositories, readers and the users-facing
`ChatPeers`, with the same contract as the SQL ones (see tests/contract/chat)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar, Generic, TypeVar

from hypehere.application.chat.ports import ChatSettings, SenderContext
from hypehere.application.chat.views import ConversationView, MessageView, RoomMessageView, RoomView
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.views import UserCard
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.chat.model import (
    Conversation,
    Folder,
    Message,
    Participant,
    Room,
    RoomMember,
    RoomMessage,
    RoomRestriction,
)
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows

_M = TypeVar("_M", Message, RoomMessage)


def _before(messages: list[_M], before_seq: int | None, limit: int) -> list[_M]:
    """Newest first, strictly before `before_seq`, limit + 1 rows (page_from_rows' probe)."""
    newest_first = sorted(messages, key=lambda m: -m.seq)
    if before_seq is not None:
        newest_first = [m for m in newest_first if m.seq < before_seq]
    return newest_first[: limit + 1]


def _after(messages: list[_M], after_seq: int, limit: int) -> list[_M]:
    """Oldest first, strictly after `after_seq`, limit + 1 rows."""
    return sorted((m for m in messages if m.seq > after_seq), key=lambda m: m.seq)[: limit + 1]


def _seq_of(messages: list[_M], message_id: str) -> int | None:
    return next((m.seq for m in messages if m.id == message_id), None)


def _append_unique(messages: list[_M], message: _M) -> None:
    """The unique keys of the SQL tables: (sender, client id) and seq within the thread."""
    for existing in messages:
        same_client = message.client_id is not None and (
            existing.sender_id,
            existing.client_id,
        ) == (message.sender_id, message.client_id)
        if same_client or existing.seq == message.seq:
            raise StorageConflictError("duplicate message")
    messages.append(copy.deepcopy(message))


def _find_by_client(messages: list[_M], sender_id: str, client_id: str) -> _M | None:
    for message in messages:
        if message.sender_id == sender_id and message.client_id == client_id:
            return copy.deepcopy(message)
    return None


def _remove(threads: Iterable[list[_M]], message_id: str, at: datetime | None) -> bool:
    """Mark a stored message removed by moderation at `at`, or restore it (`at` None).
    False when it was so already, or is unknown."""
    for messages in threads:
        for message in messages:
            if message.id == message_id:
                if (message.removed_at is None) is (at is None):
                    return False
                message.removed_at = at
                return True
    return False


_V = TypeVar("_V", ConversationView, RoomView)


def _newest_first_page(
    views: list[_V], page: PageRequest, stamp_of: Callable[[_V], datetime]
) -> Page[_V]:
    """The page of `views` after `page.cursor`, newest first by (stamp, id)."""

    def cursor_key(view: _V) -> tuple[str, str]:
        return (stamp_of(view).isoformat(), view.id)

    views = sorted(views, key=lambda v: (stamp_of(v), v.id), reverse=True)
    if page.cursor is not None:
        stamp, row_id = page.cursor
        views = [v for v in views if cursor_key(v) < (stamp, row_id)]
    return page_from_rows(views[: page.limit + 1], page.limit, cursor_key)


def _replace_participant(conversation: Conversation, participant: Participant) -> None:
    updated = copy.deepcopy(participant)
    conversation.participants = [
        updated if p.user_id == participant.user_id else p for p in conversation.participants
    ]


@dataclass
class InMemoryChatPeers:
    """Users as chat sees them; tests set up blocks, follows and settings directly."""

    users: dict[str, UserCard] = field(default_factory=dict)
    settings: dict[str, ChatSettings] = field(default_factory=dict)
    blocks: set[tuple[str, str]] = field(default_factory=set)
    following: set[tuple[str, str]] = field(default_factory=set)
    joined: dict[str, datetime] = field(default_factory=dict)  # unset: an old account

    def add_user(self, user_id: str, settings: ChatSettings | None = None) -> None:
        self.users[user_id] = UserCard(id=user_id, handle=user_id, nickname=user_id)
        self.settings[user_id] = settings or ChatSettings()

    async def exists(self, user_id: str) -> bool:
        return user_id in self.users

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool:
        return (user_a, user_b) in self.blocks or (user_b, user_a) in self.blocks

    async def follows(self, follower_id: str, followee_id: str) -> bool:
        return (follower_id, followee_id) in self.following

    async def chat_settings(self, user_ids: Iterable[str]) -> dict[str, ChatSettings]:
        return {u: self.settings.get(u, ChatSettings()) for u in dict.fromkeys(user_ids)}

    async def joined_at(self, user_id: str) -> datetime | None:
        if user_id not in self.users:
            return None
        return self.joined.get(user_id, datetime(2000, 1, 1, tzinfo=UTC))


class _InMemoryHeld(Generic[_M]):
    """`HeldMessages` in memory: released rows are kept (emptied) for `written_by`;
    `channel` is the conversation or room attribute."""

    channel: ClassVar[str]

    def __init__(self) -> None:
        self.rows: dict[str, _M] = {}
        self.released: set[str] = set()
        self.withheld: set[str] = set()

    def _waiting(self) -> list[_M]:
        return [
            m
            for m in self.rows.values()
            if m.id not in self.released | self.withheld and m.removed_at is None
        ]

    def _by_client(self, channel_id: str, sender_id: str, client_id: str) -> list[_M]:
        key = (channel_id, sender_id, client_id)
        return [
            m
            for m in self.rows.values()
            if (getattr(m, self.channel), m.sender_id, m.client_id) == key
        ]

    async def hold(self, message: _M) -> None:
        # the SQL tables' unique key: every row, released ones too
        if message.client_id is not None and self._by_client(
            getattr(message, self.channel), message.sender_id, message.client_id
        ):
            raise StorageConflictError("duplicate client_id")
        self.rows[message.id] = copy.deepcopy(message)

    async def hold_first(self, message: _M, first: int) -> bool:
        if await self.written_by(message.sender_id, first) >= first:
            return False
        await self.hold(message)
        return True

    async def get(self, message_id: str) -> _M | None:
        found = [m for m in self._waiting() if m.id == message_id]
        return copy.deepcopy(found[0]) if found else None

    async def unreleased(self, message_id: str) -> _M | None:
        found = self.rows.get(message_id)
        return copy.deepcopy(found) if found and message_id not in self.released else None

    async def find(self, channel_id: str, sender_id: str, client_id: str) -> _M | None:
        for m in self._by_client(channel_id, sender_id, client_id):
            if m.id not in self.released:
                return copy.deepcopy(m)
        return None

    async def release(self, message_id: str) -> bool:
        if await self.get(message_id) is None:
            return False
        self.released.add(message_id)
        self.rows[message_id].content = ""
        return True

    async def withhold(self, message_id: str) -> bool:
        if await self.get(message_id) is None:
            return False
        self.withheld.add(message_id)
        return True

    async def reject(self, message_id: str, at: datetime) -> bool:
        found = self.rows.get(message_id)
        if found is None or message_id in self.released or found.removed_at is not None:
            return False
        found.removed_at = at
        return True

    async def unreject(self, message_id: str) -> bool:
        found = self.rows.get(message_id)
        if found is None or message_id in self.released or found.removed_at is None:
            return False
        found.removed_at = None
        return True

    async def waiting_before(self, before: datetime, limit: int) -> Sequence[_M]:
        found = [m for m in self._waiting() if ensure_utc(m.created_at) < before]
        found.sort(key=lambda m: (ensure_utc(m.created_at), m.id))
        return [copy.deepcopy(m) for m in found[:limit]]

    async def waiting_for(self, channel_id: str, sender_id: str, limit: int) -> Sequence[_M]:
        found = [
            m
            for m in self.rows.values()
            if m.id not in self.released
            and (getattr(m, self.channel), m.sender_id) == (channel_id, sender_id)
        ]
        found.sort(key=lambda m: (ensure_utc(m.created_at), m.id), reverse=True)
        return [copy.deepcopy(m) for m in found[:limit]]

    async def written_by(self, sender_id: str, at_most: int) -> int:
        return min(at_most, sum(1 for m in self.rows.values() if m.sender_id == sender_id))


class InMemoryHeldMessages(_InMemoryHeld[Message]):
    channel = "conversation_id"


class InMemoryHeldRoomMessages(_InMemoryHeld[RoomMessage]):
    channel = "room_id"


class InMemoryConversationRepository:
    """`peers` answers the sender's block check and `outbox` receives the events staged by
    `append_message` (both optional for tests that do not send)."""

    def __init__(
        self, peers: InMemoryChatPeers | None = None, outbox: OutboxWriter | None = None
    ) -> None:
        self.conversations: dict[str, Conversation] = {}
        self.messages: dict[str, list[Message]] = {}
        self.last_seq: dict[str, int] = {}
        self._peers = peers
        self._outbox = outbox

    async def get_for_sender(self, conversation_id: str, sender_id: str) -> SenderContext | None:
        conversation = await self.get(conversation_id)
        if conversation is None:
            return None
        blocked = False
        if self._peers is not None:
            for other in conversation.others(sender_id):
                blocked = blocked or await self._peers.blocked_either_way(sender_id, other.user_id)
        return SenderContext(conversation=conversation, sender_id=sender_id, blocked=blocked)

    async def append_message(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        if message.conversation_id not in self.conversations:
            raise ConversationNotFoundError("The conversation was not found.")
        if message.client_id is not None and any(
            (m.sender_id, m.client_id) == (message.sender_id, message.client_id)
            for m in self.messages[message.conversation_id]
        ):
            raise StorageConflictError("duplicate message")
        message.seq = self.last_seq[message.conversation_id] + 1
        await self.add_message(message)
        self.last_seq[message.conversation_id] = message.seq
        stored = self.conversations[message.conversation_id]
        for participant in changed:
            _replace_participant(stored, participant)
        if self._outbox is not None:
            await self._outbox.add(event)
        return message.seq

    async def get(self, conversation_id: str) -> Conversation | None:
        stored = self.conversations.get(conversation_id)
        return copy.deepcopy(stored) if stored else None

    async def find_by_pair(self, pair_key: str) -> Conversation | None:
        for conversation in self.conversations.values():
            if conversation.pair_key == pair_key:
                return copy.deepcopy(conversation)
        return None

    async def add(self, conversation: Conversation) -> Conversation:
        existing = await self.find_by_pair(conversation.pair_key)
        if existing is not None:
            return existing
        self.conversations[conversation.id] = copy.deepcopy(conversation)
        self.messages[conversation.id] = []
        self.last_seq[conversation.id] = 0
        return conversation

    async def save_participant(self, conversation: Conversation, user_id: str) -> None:
        _replace_participant(self.conversations[conversation.id], conversation.participant(user_id))

    async def next_seq(self, conversation_id: str, message_id: str, at: datetime) -> int:
        self.last_seq[conversation_id] += 1
        return self.last_seq[conversation_id]

    async def add_message(self, message: Message) -> None:
        _append_unique(self.messages[message.conversation_id], message)

    async def find_message(
        self, conversation_id: str, sender_id: str, client_id: str
    ) -> Message | None:
        return _find_by_client(self.messages.get(conversation_id, []), sender_id, client_id)

    async def get_message(self, message_id: str) -> Message | None:
        for stored in self.messages.values():
            for message in stored:
                if message.id == message_id:
                    return copy.deepcopy(message)
        return None

    async def remove_message(self, message_id: str, at: datetime) -> bool:
        return _remove(self.messages.values(), message_id, at)

    async def restore_message(self, message_id: str) -> bool:
        return _remove(self.messages.values(), message_id, None)

    async def latest_message(self, conversation_id: str) -> Message | None:
        messages = self.messages.get(conversation_id, [])
        return copy.deepcopy(max(messages, key=lambda m: m.seq)) if messages else None


class InMemoryConversationReader:
    """Reads the repository's state the way the SQL reader reads the tables."""

    def __init__(self, repository: InMemoryConversationRepository, peers: InMemoryChatPeers):
        self._repository = repository
        self._peers = peers

    def _view(self, user_id: str, conversation: Conversation) -> ConversationView:
        me = conversation.participant(user_id)
        others = conversation.others(user_id)
        messages = sorted(self._repository.messages[conversation.id], key=lambda m: m.seq)
        last = messages[-1] if messages else None
        unread = [
            m
            for m in messages
            if m.sender_id != user_id
            and m.seq > me.last_read_seq
            and (me.left_at is None or m.created_at > me.left_at)
        ]
        return ConversationView(
            id=conversation.id,
            kind=conversation.kind,
            folder=me.folder.value,
            other_user=self._peers.users.get(others[0].user_id) if others else None,
            last_message=MessageView.of(last) if last else None,
            unread_count=len(unread),
            updated_at=last.created_at if last else conversation.created_at,
        )

    async def list_for(
        self, user_id: str, folder: Folder, page: PageRequest
    ) -> Page[ConversationView]:
        views = [
            self._view(user_id, c)
            for c in self._repository.conversations.values()
            if c.is_participant(user_id)
            and c.participant(user_id).is_active
            and c.participant(user_id).folder is folder
        ]
        return _newest_first_page(views, page, lambda v: v.updated_at)

    async def view(self, user_id: str, conversation_id: str) -> ConversationView | None:
        conversation = self._repository.conversations.get(conversation_id)
        if conversation is None or not conversation.is_participant(user_id):
            return None
        return self._view(user_id, conversation)

    async def messages_before(
        self, conversation_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, MessageView]]:
        found = _before(self._repository.messages.get(conversation_id, []), before_seq, limit)
        return [(m.seq, MessageView.of(m)) for m in found]

    async def messages_after(
        self, conversation_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, MessageView]]:
        found = _after(self._repository.messages.get(conversation_id, []), after_seq, limit)
        return [(m.seq, MessageView.of(m)) for m in found]

    async def message_seq(self, conversation_id: str, message_id: str) -> int | None:
        return _seq_of(self._repository.messages.get(conversation_id, []), message_id)


class InMemoryRoomRepository:
    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}
        self.counts: dict[str, int] = {}
        self.members: dict[tuple[str, str], RoomMember] = {}
        self.restrictions: dict[tuple[str, str], RoomRestriction] = {}
        self.messages: dict[str, list[RoomMessage]] = {}
        self.last_seq: dict[str, int] = {}

    async def add(self, room: Room, creator: RoomMember) -> None:
        self.rooms[room.id] = copy.deepcopy(room)
        self.counts[room.id] = 1
        self.members[(room.id, creator.user_id)] = copy.deepcopy(creator)
        self.messages[room.id] = []
        self.last_seq[room.id] = 0

    async def get(self, room_id: str) -> Room | None:
        room = self.rooms.get(room_id)
        return copy.deepcopy(room) if room else None

    async def release(self, room_id: str) -> bool:
        room = self.rooms.get(room_id)
        return room is not None and room.release()

    async def reject(self, room_id: str) -> bool:
        room = self.rooms.get(room_id)
        return room is not None and room.reject()

    async def restore(self, room_id: str) -> bool:
        room = self.rooms.get(room_id)
        return room is not None and room.restore()

    async def held_before(self, before: datetime, limit: int) -> Sequence[Room]:
        found = [
            r
            for r in self.rooms.values()
            if r.held and not r.removed and ensure_utc(r.created_at) < before
        ]
        found.sort(key=lambda r: (ensure_utc(r.created_at), r.id))
        return [copy.deepcopy(r) for r in found[:limit]]

    async def member(self, room_id: str, user_id: str) -> RoomMember | None:
        member = self.members.get((room_id, user_id))
        return copy.deepcopy(member) if member else None

    async def take_seat(self, room: Room) -> int | None:
        if self.counts[room.id] >= self.rooms[room.id].max_participants:
            return None
        self.counts[room.id] += 1
        return self.counts[room.id]

    async def add_member(self, member: RoomMember) -> None:
        key = (member.room_id, member.user_id)
        if key in self.members:
            raise StorageConflictError("already a member")
        self.members[key] = copy.deepcopy(member)

    async def save_member(self, member: RoomMember) -> None:
        self.members[(member.room_id, member.user_id)] = copy.deepcopy(member)

    async def remove_member(self, room_id: str, user_id: str) -> int | None:
        if self.members.pop((room_id, user_id), None) is None:
            return None
        self.counts[room_id] -= 1
        return self.counts[room_id]

    async def restriction(self, room_id: str, user_id: str) -> RoomRestriction | None:
        restriction = self.restrictions.get((room_id, user_id))
        return copy.deepcopy(restriction) if restriction else None

    async def save_restriction(self, restriction: RoomRestriction) -> None:
        self.restrictions[(restriction.room_id, restriction.user_id)] = copy.deepcopy(restriction)

    async def next_seq(self, room_id: str) -> int:
        self.last_seq[room_id] += 1
        return self.last_seq[room_id]

    async def add_message(self, message: RoomMessage) -> None:
        _append_unique(self.messages[message.room_id], message)

    async def find_message(
        self, room_id: str, sender_id: str, client_id: str
    ) -> RoomMessage | None:
        return _find_by_client(self.messages.get(room_id, []), sender_id, client_id)

    async def get_message(self, message_id: str) -> RoomMessage | None:
        for messages in self.messages.values():
            for m in messages:
                if m.id == message_id:
                    return copy.deepcopy(m)
        return None

    async def remove_message(self, message_id: str, at: datetime) -> bool:
        return _remove(self.messages.values(), message_id, at)

    async def restore_message(self, message_id: str) -> bool:
        return _remove(self.messages.values(), message_id, None)


class InMemoryRoomReader:
    def __init__(self, repository: InMemoryRoomRepository) -> None:
        self._repository = repository

    def _view(self, room: Room) -> RoomView:
        return RoomView(
            id=room.id,
            name=room.name,
            description=room.description,
            language=room.language,
            has_password=room.has_password,
            max_participants=room.max_participants,
            participant_count=self._repository.counts[room.id],
            created_by=room.created_by,
            created_at=room.created_at,
            moderation="removed" if room.removed else "held" if room.held else "visible",
        )

    async def list_rooms(
        self, language: str | None, page: PageRequest, viewer_id: str | None = None
    ) -> Page[RoomView]:
        views = [
            self._view(r)
            for r in self._repository.rooms.values()
            if (language is None or r.language == language) and r.visible_to(viewer_id)
        ]
        return _newest_first_page(views, page, lambda v: v.created_at)

    async def view(self, room_id: str, viewer_id: str | None = None) -> RoomView | None:
        room = self._repository.rooms.get(room_id)
        return self._view(room) if room and room.visible_to(viewer_id) else None

    async def messages_before(
        self, room_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, RoomMessageView]]:
        found = _before(self._repository.messages.get(room_id, []), before_seq, limit)
        return [(m.seq, RoomMessageView.of(m)) for m in found]

    async def messages_after(
        self, room_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, RoomMessageView]]:
        found = _after(self._repository.messages.get(room_id, []), after_seq, limit)
        return [(m.seq, RoomMessageView.of(m)) for m in found]

    async def message_seq(self, room_id: str, message_id: str) -> int | None:
        return _seq_of(self._repository.messages.get(room_id, []), message_id)


class PlainRoomPasswordHasher:
    """For use-case tests only: a reversible 'hash' that is cheap and inspectable."""

    async def hash(self, password: str) -> str:
        return f"plain${password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == f"plain${password}"
