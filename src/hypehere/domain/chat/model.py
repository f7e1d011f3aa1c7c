"""1:1 conversations, their participants and messages; open rooms and their members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from hypehere.domain.chat.errors import (
    BannedFromRoomError,
    CannotChatWithSelfError,
    CannotModerateError,
    KickedFromRoomError,
    NotParticipantError,
    NotRoomAdminError,
)
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.holding import Holdable
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.text import clean_text

MAX_MESSAGE_LENGTH = 4000
MAX_CLIENT_ID_LENGTH = 64
MIN_ROOM_SEATS = 2
MAX_ROOM_SEATS = 500


class ChatPolicy(StrEnum):
    EVERYONE = "everyone"
    FOLLOWING = "following"
    NOBODY_NEW = "nobody_new"


class Folder(StrEnum):
    INBOX = "inbox"
    REQUESTS = "requests"


def pair_key(user_a: str, user_b: str) -> str:
    """One key per unordered pair: the unique constraint that makes get-or-create safe."""
    if user_a == user_b:
        raise CannotChatWithSelfError("You cannot start a conversation with yourself.")
    low, high = sorted((user_a, user_b))
    return f"{low}:{high}"


def initial_folder(policy: ChatPolicy, recipient_follows_opener: bool) -> Folder:
    """Where a new conversation lands for its recipient, by the recipient's chat policy."""
    if policy is ChatPolicy.EVERYONE:
        return Folder.INBOX
    if policy is ChatPolicy.FOLLOWING and recipient_follows_opener:
        return Folder.INBOX
    return Folder.REQUESTS


def message_content(content: str) -> str:
    return clean_text(content, field="content", min_len=1, max_len=MAX_MESSAGE_LENGTH)


def client_message_id(client_id: str | None) -> str | None:
    if client_id is None:
        return None
    value = client_id.strip()
    if not value or len(value) > MAX_CLIENT_ID_LENGTH or "\x00" in value:
        raise InvalidInputError(
            f"client_id must have 1 to {MAX_CLIENT_ID_LENGTH} characters and no NUL",
            field="client_id",
        )
    return value


@dataclass(slots=True)
class Participant:
    conversation_id: str
    user_id: str
    joined_at: datetime
    folder: Folder = Folder.INBOX
    is_active: bool = True
    left_at: datetime | None = None
    last_read_message_id: str | None = None
    last_read_seq: int = 0

    def leave(self, now: datetime) -> None:
        self.is_active = False
        self.left_at = now

    def rejoin(self) -> bool:
        """Re-added when a new message arrives; True if they had left."""
        if self.is_active:
            return False
        self.is_active = True
        return True

    def accept(self) -> None:
        self.folder = Folder.INBOX
        self.is_active = True

    def mark_read(self, message_id: str, seq: int) -> bool:
        """Move the read marker forward (never back). True if it moved."""
        if seq <= self.last_read_seq:
            return False
        self.last_read_seq = seq
        self.last_read_message_id = message_id
        return True


@dataclass(slots=True)
class Message(Holdable):
    id: str
    conversation_id: str
    sender_id: str
    content: str
    client_id: str | None
    seq: int  # 0 while held (a held message has no place in the conversation yet)
    created_at: datetime
    # a new account's first messages wait for a moderation verdict: its sender only
    held: bool = False
    # removed by moderation: a placeholder for everyone (a held one: for its sender only)
    removed_at: datetime | None = None

    @property
    def holder_id(self) -> str:
        return self.sender_id

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


@dataclass(slots=True)
class Conversation:
    id: str
    pair_key: str
    created_by: str
    created_at: datetime
    participants: list[Participant] = field(default_factory=list)
    kind: str = "direct"

    @classmethod
    def open_direct(
        cls, opener_id: str, recipient_id: str, recipient_folder: Folder, now: datetime
    ) -> Conversation:
        key = pair_key(opener_id, recipient_id)
        conversation_id = new_id()
        return cls(
            id=conversation_id,
            pair_key=key,
            created_by=opener_id,
            created_at=now,
            participants=[
                Participant(conversation_id, opener_id, now, Folder.INBOX),
                Participant(conversation_id, recipient_id, now, recipient_folder),
            ],
        )

    def participant(self, user_id: str) -> Participant:
        for participant in self.participants:
            if participant.user_id == user_id:
                return participant
        raise NotParticipantError("You are not a participant of this conversation.")

    def is_participant(self, user_id: str) -> bool:
        return any(p.user_id == user_id for p in self.participants)

    def others(self, user_id: str) -> list[Participant]:
        return [p for p in self.participants if p.user_id != user_id]

    def write(
        self,
        sender_id: str,
        content: str,
        client_id: str | None,
        seq: int,
        now: datetime,
        message_id: str | None = None,
    ) -> tuple[Message, list[Participant]]:
        """A new message. Participants who had left are re-added, and a recipient who
        answers a request accepts it (both returned as changed)."""
        self.participant(sender_id)
        message = Message(
            id=message_id or new_id(),
            conversation_id=self.id,
            sender_id=sender_id,
            content=message_content(content),
            client_id=client_message_id(client_id),
            seq=seq,
            created_at=now,
        )
        changed = [p for p in self.participants if p.rejoin()]
        sender = self.participant(sender_id)
        if sender.folder is Folder.REQUESTS:  # replying to a request accepts it
            sender.accept()
            if sender not in changed:
                changed.append(sender)
        return message, changed


# --- open rooms ------------------------------------------------------------------------


class RoomRole(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


class RestrictionKind(StrEnum):
    KICK = "kick"
    BAN = "ban"


@dataclass(slots=True)
class RoomMember:
    room_id: str
    user_id: str
    role: RoomRole
    joined_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is RoomRole.ADMIN


@dataclass(slots=True)
class RoomRestriction:
    """A kick (until a time) or a ban (for good) keeping a user out of a room."""

    room_id: str
    user_id: str
    kind: RestrictionKind
    until: datetime | None
    created_by: str
    created_at: datetime

    def active(self, now: datetime) -> bool:
        return self.until is None or self.until > now

    def refuse(self) -> None:
        if self.kind is RestrictionKind.BAN:
            raise BannedFromRoomError("You are banned from this room.")
        raise KickedFromRoomError(
            "You were kicked from this room; try again later.", until=self.until
        )


@dataclass(slots=True)
class Room(Holdable):
    id: str
    name: str
    description: str
    language: str
    password_hash: str | None
    max_participants: int
    created_by: str
    created_at: datetime
    # held until its title is checked (fail-closed for every account): its creator only
    held: bool = False
    # removed by moderation while held: it stays held (its creator's only) for good
    removed: bool = False

    @property
    def holder_id(self) -> str:
        return self.created_by

    def release(self) -> bool:
        """Its title passed moderation (see `Holdable.release`); a removed room never
        does."""
        return not self.removed and Holdable.release(self)

    def reject(self) -> bool:
        """Moderation removed it while it was held: nobody but its creator ever sees it,
        and no later verdict releases it. False when it was not held or is removed
        already (a released room cannot be taken back this way)."""
        if not self.held or self.removed:
            return False
        self.removed = True
        return True

    def restore(self) -> bool:
        """The removal was overturned (an appeal): the title was fine after all, so
        everyone sees the room now. False when it was not removed."""
        if not self.removed:
            return False
        self.removed = self.held = False
        return True

    @classmethod
    def create(
        cls,
        *,
        name: str,
        description: str,
        language: str,
        password_hash: str | None,
        max_participants: int,
        created_by: str,
        now: datetime,
    ) -> Room:
        if not MIN_ROOM_SEATS <= max_participants <= MAX_ROOM_SEATS:
            raise InvalidInputError(
                f"max_participants must be between {MIN_ROOM_SEATS} and {MAX_ROOM_SEATS}",
                field="max_participants",
            )
        return cls(
            id=new_id(),
            name=clean_text(name, field="name", min_len=1, max_len=80),
            description=clean_text(description, field="description", min_len=0, max_len=500),
            language=parse_language(language),
            password_hash=password_hash,
            max_participants=max_participants,
            created_by=created_by,
            created_at=now,
        )

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def restrict(
        self,
        admin: RoomMember,
        target_id: str,
        kind: RestrictionKind,
        now: datetime,
        minutes: int | None = None,
    ) -> RoomRestriction:
        if not admin.is_admin:
            raise NotRoomAdminError("Only room admins can do this.")
        if target_id in (self.created_by, admin.user_id):
            raise CannotModerateError("This member cannot be removed.")
        until = None
        if kind is RestrictionKind.KICK:
            if minutes is None or not 1 <= minutes <= 10_080:
                raise InvalidInputError(
                    "duration_minutes must be between 1 and 10080", field="duration_minutes"
                )
            until = now + timedelta(minutes=minutes)
        return RoomRestriction(self.id, target_id, kind, until, admin.user_id, now)


@dataclass(slots=True)
class RoomMessage(Holdable):
    id: str
    room_id: str
    sender_id: str
    content: str
    client_id: str | None
    seq: int  # 0 while held (like a direct message: no place in the room yet)
    created_at: datetime
    # a new account's first room messages wait for a moderation verdict: its sender only
    held: bool = False
    # removed by moderation, as `Message.removed_at`
    removed_at: datetime | None = None

    @property
    def holder_id(self) -> str:
        return self.sender_id

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @classmethod
    def write(
        cls,
        room_id: str,
        sender_id: str,
        content: str,
        client_id: str | None,
        seq: int,
        now: datetime,
        message_id: str | None = None,
    ) -> RoomMessage:
        return cls(
            id=message_id or new_id(),
            room_id=room_id,
            sender_id=sender_id,
            content=message_content(content),
            client_id=client_message_id(client_id),
            seq=seq,
            created_at=now,
        )
