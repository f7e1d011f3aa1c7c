"""SQL adapters of the chat module: repositories (write side), readers (one query per page)
and `SqlChatPeers`, which reads the users module's tables (read side only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hypehere.adapters.sql.chat_writer import PgMessageWriter, append_one
from hypehere.adapters.sql.errors import is_unique_violation, translate_errors
from hypehere.adapters.sql.outbox_writer import outbox_values
from hypehere.adapters.sql.tables.chat import (
    ConversationParticipantRow,
    ConversationRow,
    MessageRow,
    RoomMemberRow,
    RoomMessageRow,
    RoomRestrictionRow,
    RoomRow,
)
from hypehere.adapters.sql.tables.outbox import OutboxEventRow
from hypehere.adapters.sql.tables.users import BlockRow, FollowRow, UserRow
from hypehere.adapters.sql.types import UtcDateTime
from hypehere.application.chat.ports import ChatSettings, SenderContext
from hypehere.application.chat.views import (
    ConversationView,
    MessageView,
    RoomMessageView,
    RoomView,
    UserSummary,
)
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.chat.model import (
    ChatPolicy,
    Conversation,
    Folder,
    Message,
    Participant,
    RestrictionKind,
    Room,
    RoomMember,
    RoomMessage,
    RoomRestriction,
    RoomRole,
)
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    page_from_rows,
)

conversations = ConversationRow.__table__  # type: ignore[attr-defined]
participants = ConversationParticipantRow.__table__  # type: ignore[attr-defined]
messages = MessageRow.__table__  # type: ignore[attr-defined]
rooms = RoomRow.__table__  # type: ignore[attr-defined]
room_members = RoomMemberRow.__table__  # type: ignore[attr-defined]
room_restrictions = RoomRestrictionRow.__table__  # type: ignore[attr-defined]
room_messages = RoomMessageRow.__table__  # type: ignore[attr-defined]
users = UserRow.__table__  # type: ignore[attr-defined]
blocks = BlockRow.__table__  # type: ignore[attr-defined]
follows = FollowRow.__table__  # type: ignore[attr-defined]

UNREACHABLE_STATES = ("deactivated", "deletion_requested", "deleted", "banned")


# --- statements on the message hot path, built once (bound parameters per call) ---------


def _conversation_with_participants(condition: Any, *extra: Any) -> Any:
    return (
        select(
            conversations.c.id,
            conversations.c.pair_key,
            conversations.c.created_by,
            conversations.c.created_at,
            conversations.c.kind,
            *[column.label(f"p_{column.name}") for column in participants.c],
            *extra,
        )
        .join(participants, participants.c.conversation_id == conversations.c.id)
        .where(condition)
        .order_by(participants.c.joined_at, participants.c.user_id)
    )


_LOAD_BY_ID = _conversation_with_participants(conversations.c.id == bindparam("key"))
_LOAD_BY_PAIR = _conversation_with_participants(conversations.c.pair_key == bindparam("key"))
_NEXT_SEQ = (
    update(conversations)
    .where(conversations.c.id == bindparam("conversation_id"))
    .values(
        last_seq=conversations.c.last_seq + 1,
        last_message_id=bindparam("message_id"),
        updated_at=bindparam("at", type_=UtcDateTime),
    )
    .returning(conversations.c.last_seq)
)
_INSERT_MESSAGE = insert(messages)
_BLOCKED = select(
    exists().where(
        or_(
            and_(blocks.c.blocker_id == bindparam("a"), blocks.c.blocked_id == bindparam("b")),
            and_(blocks.c.blocker_id == bindparam("b"), blocks.c.blocked_id == bindparam("a")),
        )
    )
)
# Per participant row: does a block (either way) stand between it and the sender?
_LOAD_FOR_SENDER = _conversation_with_participants(
    conversations.c.id == bindparam("key"),
    exists()
    .where(
        or_(
            and_(
                blocks.c.blocker_id == bindparam("sender"),
                blocks.c.blocked_id == participants.c.user_id,
            ),
            and_(
                blocks.c.blocker_id == participants.c.user_id,
                blocks.c.blocked_id == bindparam("sender"),
            ),
        )
    )
    .label("p_blocks_sender"),
)
_INSERT_OUTBOX = insert(OutboxEventRow.__table__)  # type: ignore[attr-defined]


# --- mappers ---------------------------------------------------------------------------


def _participant_values(conversation_id: str, p: Any) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "user_id": p.user_id,
        "folder": p.folder.value,
        "is_active": p.is_active,
        "joined_at": p.joined_at,
        "left_at": p.left_at,
        "last_read_message_id": p.last_read_message_id,
        "last_read_seq": p.last_read_seq,
    }


def _message_values(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "content": message.content,
        "client_id": message.client_id,
        "seq": message.seq,
        "created_at": message.created_at,
    }


def _message_to_domain(row: Any) -> Message:
    return Message(
        id=row.id,
        conversation_id=row.conversation_id,
        sender_id=row.sender_id,
        content=row.content,
        client_id=row.client_id,
        seq=row.seq,
        created_at=ensure_utc(row.created_at),
    )


def _room_message_to_domain(row: Any) -> RoomMessage:
    return RoomMessage(
        id=row.id,
        room_id=row.room_id,
        sender_id=row.sender_id,
        content=row.content,
        client_id=row.client_id,
        seq=row.seq,
        created_at=ensure_utc(row.created_at),
    )


def _time_cursor(request: PageRequest) -> tuple[datetime, str] | None:
    if request.cursor is None:
        return None
    stamp, row_id = request.cursor
    try:
        return datetime.fromisoformat(str(stamp)), str(row_id)
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


# --- conversations ---------------------------------------------------------------------


class SqlConversationRepository:
    """`on_outbox_commit` (optional) is called once a message's outbox event has committed,
    so an in-process outbox dispatcher can wake up at once. `writer` (optional, PostgreSQL):
    the process's group commit, used for a message that is its unit of work's only write."""

    def __init__(
        self,
        session: AsyncSession,
        on_outbox_commit: Callable[[], None] | None = None,
        writer: PgMessageWriter | None = None,
    ) -> None:
        self._session = session
        self._on_outbox_commit = on_outbox_commit
        self._writer = writer
        self._autocommit_transaction: object | None = None

    @property
    def _autocommit(self) -> bool:
        current = self._session.get_transaction()
        return current is not None and current is self._autocommit_transaction

    async def _hot_path_session(self) -> AsyncSession:
        """On PostgreSQL, a session that has not begun a transaction gets its connection in
        autocommit mode: the send path's read and its one-statement write then cost one
        round trip each (no BEGIN/COMMIT). Otherwise the caller's transaction is joined."""
        session = self._session
        if (
            not self._autocommit
            and not session.in_transaction()
            and session.get_bind().dialect.name == "postgresql"
        ):
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            self._autocommit_transaction = session.get_transaction()
        return session

    async def _load(
        self, query: Any, key: str, params: dict[str, Any] | None = None
    ) -> Conversation | None:
        """The conversation and its participants in one query."""
        joined = await self._load_rows(query, {"key": key, **(params or {})})
        return self._conversation(joined)

    async def _load_rows(
        self, query: Any, params: dict[str, Any], session: AsyncSession | None = None
    ) -> list[Any]:
        async with translate_errors():
            return list((await (session or self._session).execute(query, params)).all())

    @staticmethod
    def _conversation(joined: list[Any]) -> Conversation | None:
        if not joined:
            return None
        row = joined[0]
        rows = [
            SimpleNamespace(**{c.name: getattr(r, f"p_{c.name}") for c in participants.c})
            for r in joined
        ]
        return Conversation(
            id=row.id,
            pair_key=row.pair_key,
            created_by=row.created_by,
            created_at=ensure_utc(row.created_at),
            kind=row.kind,
            participants=[
                Participant(
                    conversation_id=p.conversation_id,
                    user_id=p.user_id,
                    joined_at=ensure_utc(p.joined_at),
                    folder=Folder(p.folder),
                    is_active=p.is_active,
                    left_at=ensure_utc(p.left_at) if p.left_at else None,
                    last_read_message_id=p.last_read_message_id,
                    last_read_seq=p.last_read_seq,
                )
                for p in rows
            ],
        )

    async def get(self, conversation_id: str) -> Conversation | None:
        return await self._load(_LOAD_BY_ID, conversation_id)

    async def get_for_sender(self, conversation_id: str, sender_id: str) -> SenderContext | None:
        session = await self._hot_path_session()
        joined = await self._load_rows(
            _LOAD_FOR_SENDER, {"key": conversation_id, "sender": sender_id}, session
        )
        conversation = self._conversation(joined)
        if conversation is None:
            return None
        blocked = any(row.p_blocks_sender and row.p_user_id != sender_id for row in joined)
        return SenderContext(conversation=conversation, sender_id=sender_id, blocked=blocked)

    async def append_message(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        session = await self._hot_path_session()
        if session.get_bind().dialect.name == "postgresql":
            if self._writer is not None and self._autocommit and not changed:
                # Nothing written before in this unit of work: the message joins the
                # process's group commit (its own connection, committed when it returns).
                if not (session.new or session.dirty or session.deleted):
                    # The reads are done (autocommitted): the connection goes back to the
                    # pool now rather than idling while the sender waits for the writer.
                    await session.commit()
                seq = await self._writer.append(message, event)
                committed = True
            else:
                seq = await append_one(session, message, changed, event)
                committed = self._autocommit
        else:
            seq = await self._append_in_statements(session, message, changed, event)
            committed = False
        message.seq = seq
        if self._on_outbox_commit is not None:
            if committed:
                self._on_outbox_commit()
            else:
                callback = self._on_outbox_commit
                sa_event.listen(
                    session.sync_session, "after_commit", lambda _s: callback(), once=True
                )
        return seq

    async def _append_in_statements(
        self,
        session: AsyncSession,
        message: Message,
        changed: Sequence[Participant],
        event: DomainEvent,
    ) -> int:
        """SQLite: the same writes as separate statements in the caller's transaction (its
        `BEGIN IMMEDIATE` serializes writers); a savepoint keeps a refused duplicate from
        using up a sequence number."""
        async with translate_errors(), session.begin_nested():
            seq = await session.scalar(
                _NEXT_SEQ,
                {
                    "conversation_id": message.conversation_id,
                    "message_id": message.id,
                    "at": message.created_at,
                },
            )
            if seq is None:
                raise ConversationNotFoundError("The conversation was not found.")
            message.seq = int(seq)
            await session.execute(_INSERT_MESSAGE, _message_values(message))
            for p in changed:
                await session.execute(
                    update(participants)
                    .where(
                        participants.c.conversation_id == message.conversation_id,
                        participants.c.user_id == p.user_id,
                    )
                    .values(**_participant_values(message.conversation_id, p))
                )
            await session.execute(_INSERT_OUTBOX, outbox_values(event))
        return int(seq)

    async def find_by_pair(self, pair_key: str) -> Conversation | None:
        return await self._load(_LOAD_BY_PAIR, pair_key)

    async def add(self, conversation: Conversation) -> Conversation:
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    insert(conversations).values(
                        id=conversation.id,
                        kind=conversation.kind,
                        pair_key=conversation.pair_key,
                        created_by=conversation.created_by,
                        created_at=conversation.created_at,
                        updated_at=conversation.created_at,
                        last_seq=0,
                    )
                )
                await self._session.execute(
                    insert(participants),
                    [_participant_values(conversation.id, p) for p in conversation.participants],
                )
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
            winner = await self.find_by_pair(conversation.pair_key)
            if winner is None:
                raise
            return winner
        return conversation

    async def save_participant(self, conversation: Conversation, user_id: str) -> None:
        p = conversation.participant(user_id)
        values = _participant_values(conversation.id, p)
        async with translate_errors():
            await self._session.execute(
                update(participants)
                .where(
                    participants.c.conversation_id == conversation.id,
                    participants.c.user_id == user_id,
                )
                .values(**values)
            )

    async def next_seq(self, conversation_id: str, message_id: str, at: datetime) -> int:
        async with translate_errors():
            seq = await self._session.scalar(
                _NEXT_SEQ, {"conversation_id": conversation_id, "message_id": message_id, "at": at}
            )
        assert seq is not None
        return int(seq)

    async def add_message(self, message: Message) -> None:
        async with translate_errors():
            await self._session.execute(_INSERT_MESSAGE, _message_values(message))

    async def find_message(
        self, conversation_id: str, sender_id: str, client_id: str
    ) -> Message | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(messages).where(
                        messages.c.conversation_id == conversation_id,
                        messages.c.sender_id == sender_id,
                        messages.c.client_id == client_id,
                    )
                )
            ).first()
        return _message_to_domain(row) if row else None

    async def latest_message(self, conversation_id: str) -> Message | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(messages)
                    .where(messages.c.conversation_id == conversation_id)
                    .order_by(messages.c.seq.desc())
                    .limit(1)
                )
            ).first()
        return _message_to_domain(row) if row else None


def _message_view(row: Any) -> MessageView:
    return MessageView(
        id=row.id,
        conversation_id=row.conversation_id,
        sender_id=row.sender_id,
        content=row.content,
        client_id=row.client_id,
        created_at=ensure_utc(row.created_at),
    )


class SqlConversationReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _select(self, user_id: str) -> Any:
        me = aliased(participants, name="me")
        other = aliased(participants, name="other")
        other_user = aliased(users, name="other_user")
        last = aliased(messages, name="last_message")
        unread_messages = aliased(messages, name="unread_message")
        unread = (
            select(func.count())
            .select_from(unread_messages)
            .where(
                unread_messages.c.conversation_id == conversations.c.id,
                unread_messages.c.sender_id != user_id,
                unread_messages.c.seq > me.c.last_read_seq,
                or_(me.c.left_at.is_(None), unread_messages.c.created_at > me.c.left_at),
            )
            .scalar_subquery()
        )
        query = (
            select(
                conversations.c.id,
                conversations.c.kind,
                conversations.c.updated_at,
                me.c.folder,
                other_user.c.id.label("other_id"),
                other_user.c.handle.label("other_handle"),
                other_user.c.nickname.label("other_nickname"),
                other_user.c.avatar_url.label("other_avatar_url"),
                last.c.id.label("last_id"),
                last.c.sender_id.label("last_sender_id"),
                last.c.content.label("last_content"),
                last.c.client_id.label("last_client_id"),
                last.c.created_at.label("last_created_at"),
                unread.label("unread_count"),
            )
            .select_from(me)
            .join(conversations, conversations.c.id == me.c.conversation_id)
            .outerjoin(
                other,
                and_(other.c.conversation_id == conversations.c.id, other.c.user_id != user_id),
            )
            .outerjoin(other_user, other_user.c.id == other.c.user_id)
            .outerjoin(last, last.c.id == conversations.c.last_message_id)
            .where(me.c.user_id == user_id)
        )
        return query, me

    @staticmethod
    def _view(row: Any) -> ConversationView:
        other = None
        if row.other_id is not None:
            other = UserSummary(
                id=row.other_id,
                handle=row.other_handle,
                nickname=row.other_nickname,
                avatar_url=row.other_avatar_url,
            )
        last = None
        if row.last_id is not None:
            last = MessageView(
                id=row.last_id,
                conversation_id=row.id,
                sender_id=row.last_sender_id,
                content=row.last_content,
                client_id=row.last_client_id,
                created_at=ensure_utc(row.last_created_at),
            )
        return ConversationView(
            id=row.id,
            kind=row.kind,
            folder=row.folder,
            other_user=other,
            last_message=last,
            unread_count=int(row.unread_count or 0),
            updated_at=ensure_utc(row.updated_at),
        )

    async def list_for(
        self, user_id: str, folder: Folder, page: PageRequest
    ) -> Page[ConversationView]:
        query, me = self._select(user_id)
        query = query.where(me.c.is_active.is_(True), me.c.folder == folder.value)
        after = _time_cursor(page)
        if after is not None:
            stamp, row_id = after
            query = query.where(
                or_(
                    conversations.c.updated_at < stamp,
                    and_(conversations.c.updated_at == stamp, conversations.c.id < row_id),
                )
            )
        query = query.order_by(conversations.c.updated_at.desc(), conversations.c.id.desc()).limit(
            page.limit + 1
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        views = [self._view(row) for row in rows]
        return page_from_rows(views, page.limit, lambda v: (v.updated_at.isoformat(), v.id))

    async def view(self, user_id: str, conversation_id: str) -> ConversationView | None:
        query, _ = self._select(user_id)
        query = query.where(conversations.c.id == conversation_id)
        async with translate_errors():
            row = (await self._session.execute(query)).first()
        return self._view(row) if row else None

    async def messages_before(
        self, conversation_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, MessageView]]:
        query = select(messages).where(messages.c.conversation_id == conversation_id)
        if before_seq is not None:
            query = query.where(messages.c.seq < before_seq)
        query = query.order_by(messages.c.seq.desc()).limit(limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _message_view(row)) for row in rows]

    async def messages_after(
        self, conversation_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, MessageView]]:
        query = (
            select(messages)
            .where(messages.c.conversation_id == conversation_id, messages.c.seq > after_seq)
            .order_by(messages.c.seq.asc())
            .limit(limit + 1)
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _message_view(row)) for row in rows]

    async def message_seq(self, conversation_id: str, message_id: str) -> int | None:
        async with translate_errors():
            seq = await self._session.scalar(
                select(messages.c.seq).where(
                    messages.c.conversation_id == conversation_id, messages.c.id == message_id
                )
            )
        return int(seq) if seq is not None else None


class SqlChatPeers:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def exists(self, user_id: str) -> bool:
        async with translate_errors():
            state = await self._session.scalar(select(users.c.state).where(users.c.id == user_id))
        return state is not None and state not in UNREACHABLE_STATES

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool:
        async with translate_errors():
            return bool(await self._session.scalar(_BLOCKED, {"a": user_a, "b": user_b}))

    async def follows(self, follower_id: str, followee_id: str) -> bool:
        query = select(
            exists().where(
                follows.c.follower_id == follower_id, follows.c.followee_id == followee_id
            )
        )
        async with translate_errors():
            return bool(await self._session.scalar(query))

    async def chat_settings(self, user_ids: Iterable[str]) -> dict[str, ChatSettings]:
        ids = list(dict.fromkeys(user_ids))
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(users.c.id, users.c.chat_policy, users.c.send_read_receipts).where(
                        users.c.id.in_(ids)
                    )
                )
            ).all()
        found = {
            row.id: ChatSettings(
                chat_policy=ChatPolicy(row.chat_policy),
                send_read_receipts=bool(row.send_read_receipts),
            )
            for row in rows
        }
        return {user_id: found.get(user_id, ChatSettings()) for user_id in ids}


# --- rooms -----------------------------------------------------------------------------


class SqlRoomRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, room: Room, creator: RoomMember) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(rooms).values(
                    id=room.id,
                    name=room.name,
                    description=room.description,
                    language=room.language,
                    password_hash=room.password_hash,
                    max_participants=room.max_participants,
                    participant_count=1,
                    last_seq=0,
                    created_by=room.created_by,
                    created_at=room.created_at,
                )
            )
            await self._session.execute(
                insert(room_members).values(
                    room_id=room.id,
                    user_id=creator.user_id,
                    role=creator.role.value,
                    joined_at=creator.joined_at,
                )
            )

    async def get(self, room_id: str) -> Room | None:
        async with translate_errors():
            row = (await self._session.execute(select(rooms).where(rooms.c.id == room_id))).first()
        if row is None:
            return None
        return Room(
            id=row.id,
            name=row.name,
            description=row.description,
            language=row.language,
            password_hash=row.password_hash,
            max_participants=row.max_participants,
            created_by=row.created_by,
            created_at=ensure_utc(row.created_at),
        )

    async def member(self, room_id: str, user_id: str) -> RoomMember | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_members).where(
                        room_members.c.room_id == room_id, room_members.c.user_id == user_id
                    )
                )
            ).first()
        if row is None:
            return None
        return RoomMember(row.room_id, row.user_id, RoomRole(row.role), ensure_utc(row.joined_at))

    async def take_seat(self, room: Room) -> int | None:
        async with translate_errors():
            count = await self._session.scalar(
                update(rooms)
                .where(rooms.c.id == room.id, rooms.c.participant_count < rooms.c.max_participants)
                .values(participant_count=rooms.c.participant_count + 1)
                .returning(rooms.c.participant_count)
            )
        return int(count) if count is not None else None

    async def add_member(self, member: RoomMember) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(room_members).values(
                    room_id=member.room_id,
                    user_id=member.user_id,
                    role=member.role.value,
                    joined_at=member.joined_at,
                )
            )

    async def save_member(self, member: RoomMember) -> None:
        async with translate_errors():
            await self._session.execute(
                update(room_members)
                .where(
                    room_members.c.room_id == member.room_id,
                    room_members.c.user_id == member.user_id,
                )
                .values(role=member.role.value)
            )

    async def remove_member(self, room_id: str, user_id: str) -> int | None:
        async with translate_errors():
            removed = await self._session.execute(
                delete(room_members).where(
                    room_members.c.room_id == room_id, room_members.c.user_id == user_id
                )
            )
            if not removed.rowcount:  # type: ignore[attr-defined]
                return None
            count = await self._session.scalar(
                update(rooms)
                .where(rooms.c.id == room_id)
                .values(participant_count=rooms.c.participant_count - 1)
                .returning(rooms.c.participant_count)
            )
        return int(count or 0)

    async def restriction(self, room_id: str, user_id: str) -> RoomRestriction | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_restrictions).where(
                        room_restrictions.c.room_id == room_id,
                        room_restrictions.c.user_id == user_id,
                    )
                )
            ).first()
        if row is None:
            return None
        return RoomRestriction(
            room_id=row.room_id,
            user_id=row.user_id,
            kind=RestrictionKind(row.kind),
            until=ensure_utc(row.until) if row.until else None,
            created_by=row.created_by,
            created_at=ensure_utc(row.created_at),
        )

    async def save_restriction(self, restriction: RoomRestriction) -> None:
        values = {
            "kind": restriction.kind.value,
            "until": restriction.until,
            "created_by": restriction.created_by,
            "created_at": restriction.created_at,
        }
        async with translate_errors():
            updated = await self._session.execute(
                update(room_restrictions)
                .where(
                    room_restrictions.c.room_id == restriction.room_id,
                    room_restrictions.c.user_id == restriction.user_id,
                )
                .values(**values)
            )
            if not updated.rowcount:  # type: ignore[attr-defined]
                await self._session.execute(
                    insert(room_restrictions).values(
                        room_id=restriction.room_id, user_id=restriction.user_id, **values
                    )
                )

    async def next_seq(self, room_id: str) -> int:
        async with translate_errors():
            seq = await self._session.scalar(
                update(rooms)
                .where(rooms.c.id == room_id)
                .values(last_seq=rooms.c.last_seq + 1)
                .returning(rooms.c.last_seq)
            )
        assert seq is not None
        return int(seq)

    async def add_message(self, message: RoomMessage) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(room_messages).values(
                    id=message.id,
                    room_id=message.room_id,
                    sender_id=message.sender_id,
                    content=message.content,
                    client_id=message.client_id,
                    seq=message.seq,
                    created_at=message.created_at,
                )
            )

    async def find_message(
        self, room_id: str, sender_id: str, client_id: str
    ) -> RoomMessage | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_messages).where(
                        room_messages.c.room_id == room_id,
                        room_messages.c.sender_id == sender_id,
                        room_messages.c.client_id == client_id,
                    )
                )
            ).first()
        return _room_message_to_domain(row) if row else None


def _room_view(row: Any) -> RoomView:
    return RoomView(
        id=row.id,
        name=row.name,
        description=row.description,
        language=row.language,
        has_password=row.password_hash is not None,
        max_participants=row.max_participants,
        participant_count=row.participant_count,
        created_by=row.created_by,
        created_at=ensure_utc(row.created_at),
    )


def _room_message_view(row: Any) -> RoomMessageView:
    return RoomMessageView(
        id=row.id,
        room_id=row.room_id,
        conversation_id=row.room_id,
        sender_id=row.sender_id,
        content=row.content,
        client_id=row.client_id,
        created_at=ensure_utc(row.created_at),
    )


class SqlRoomReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_rooms(self, language: str | None, page: PageRequest) -> Page[RoomView]:
        query = select(rooms)
        if language is not None:
            query = query.where(rooms.c.language == language)
        after = _time_cursor(page)
        if after is not None:
            stamp, row_id = after
            query = query.where(
                or_(
                    rooms.c.created_at < stamp,
                    and_(rooms.c.created_at == stamp, rooms.c.id < row_id),
                )
            )
        query = query.order_by(rooms.c.created_at.desc(), rooms.c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        views = [_room_view(row) for row in rows]
        return page_from_rows(views, page.limit, lambda v: (v.created_at.isoformat(), v.id))

    async def view(self, room_id: str) -> RoomView | None:
        async with translate_errors():
            row = (await self._session.execute(select(rooms).where(rooms.c.id == room_id))).first()
        return _room_view(row) if row else None

    async def messages_before(
        self, room_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, RoomMessageView]]:
        query = select(room_messages).where(room_messages.c.room_id == room_id)
        if before_seq is not None:
            query = query.where(room_messages.c.seq < before_seq)
        query = query.order_by(room_messages.c.seq.desc()).limit(limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _room_message_view(row)) for row in rows]

    async def messages_after(
        self, room_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, RoomMessageView]]:
        query = (
            select(room_messages)
            .where(room_messages.c.room_id == room_id, room_messages.c.seq > after_seq)
            .order_by(room_messages.c.seq.asc())
            .limit(limit + 1)
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _room_message_view(row)) for row in rows]

    async def message_seq(self, room_id: str, message_id: str) -> int | None:
        async with translate_errors():
            seq = await self._session.scalar(
                select(room_messages.c.seq).where(
                    room_messages.c.room_id == room_id, room_messages.c.id == message_id
                )
            )
        return int(seq) if seq is not None else None


__all__ = [
    "SqlChatPeers",
    "SqlConversationReader",
    "SqlConversationRepository",
    "SqlRoomReader",
    "SqlRoomRepository",
]
