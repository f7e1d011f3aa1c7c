"""Chat module wiring: SQL repositories/readers per request, use cases per request."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hypehere.adapters.sql.chat.conversations import SqlConversationRepository
from hypehere.adapters.sql.chat.held import SqlHeldMessages, SqlHeldRoomMessages
from hypehere.adapters.sql.chat.peers import SqlChatPeers
from hypehere.adapters.sql.chat.pg_writer import PgMessageWriter
from hypehere.adapters.sql.chat.readers import SqlConversationReader, SqlRoomReader
from hypehere.adapters.sql.chat.rooms import SqlRoomRepository
from hypehere.adapters.sql.chat.send_paths import (
    GroupCommitAppender,
    MessageAppender,
    SeparateStatementsAppender,
    SingleStatementAppender,
)
from hypehere.adapters.sql.engine import create_engine
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.chat.accept_conversation import AcceptConversation
from hypehere.application.chat.create_room import CreateRoom
from hypehere.application.chat.get_conversation import GetConversation
from hypehere.application.chat.get_room import GetRoom
from hypehere.application.chat.grant_room_admin import GrantRoomAdmin
from hypehere.application.chat.held_messages import ListHeldMessages
from hypehere.application.chat.held_rooms import ListHeldRooms, LocateRoom
from hypehere.application.chat.join_room import JoinRoom, RoomPasswordAttempts
from hypehere.application.chat.leave_conversation import LeaveConversation
from hypehere.application.chat.leave_room import LeaveRoom
from hypehere.application.chat.list_conversations import ListConversations
from hypehere.application.chat.list_messages import ListMessages
from hypehere.application.chat.list_room_messages import ListRoomMessages
from hypehere.application.chat.list_rooms import ListRooms
from hypehere.application.chat.locate_message import LocateMessage, LocateRoomMessage
from hypehere.application.chat.mark_read import MarkRead
from hypehere.application.chat.open_conversation_channel import OpenConversationChannel
from hypehere.application.chat.open_room_channel import OpenRoomChannel
from hypehere.application.chat.ports import (
    ChatPeers,
    ConversationReader,
    ConversationRepository,
    HeldMessages,
    RoomPasswordHasher,
    RoomReader,
    RoomRepository,
)
from hypehere.application.chat.release_message import ReleaseMessage
from hypehere.application.chat.release_room import ReleaseRoom
from hypehere.application.chat.release_room_message import ReleaseRoomMessage
from hypehere.application.chat.remove_message import RemoveMessage
from hypehere.application.chat.remove_room import RemoveRoom
from hypehere.application.chat.remove_room_message import RemoveRoomMessage
from hypehere.application.chat.restore_message import RestoreMessage
from hypehere.application.chat.restore_room import RestoreRoom
from hypehere.application.chat.restore_room_message import RestoreRoomMessage
from hypehere.application.chat.restrict_room_member import RestrictRoomMember
from hypehere.application.chat.send_message import SendMessage
from hypehere.application.chat.send_room_message import SendRoomMessage
from hypehere.application.chat.send_typing import SendTyping
from hypehere.application.chat.start_conversation import StartConversation
from hypehere.bootstrap.providers.infrastructure import database_timeouts
from hypehere.bootstrap.providers.users import password_hasher_for
from hypehere.bootstrap.settings import Settings
from hypehere.domain.chat.model import Message, RoomMessage
from hypehere.domain.shared.holding import MessageHoldPolicy, RoomTitleHold
from hypehere.entrypoints.outbox.dispatcher import OutboxWakeup


class ChatProvider(Provider):
    @provide(scope=Scope.APP)
    def room_password_hasher(self, settings: Settings) -> RoomPasswordHasher:
        # Room passwords use the same argon2id adapter and cost settings as account passwords.
        return password_hasher_for(settings)

    @provide(scope=Scope.APP)
    def room_title_hold(self, settings: Settings) -> RoomTitleHold:
        return RoomTitleHold(on=settings.moderation_hold_room_titles)

    @provide(scope=Scope.APP)
    def room_password_attempts(self, settings: Settings) -> RoomPasswordAttempts:
        return RoomPasswordAttempts(
            limit=settings.rate_limit_room_password_attempts
            if settings.rate_limit_enabled
            else None,
            window_seconds=settings.rate_limit_room_password_window_seconds,
        )

    @provide(scope=Scope.APP)
    async def message_writer(
        self, settings: Settings, engine: AsyncEngine
    ) -> AsyncIterator[PgMessageWriter]:
        """The process's group commit for sends (PostgreSQL; never used on SQLite). It has a
        connection of its own: the senders waiting for it hold the request pool's
        connections, so drawing from that pool could wait for them forever."""
        if engine.dialect.name != "postgresql":
            yield PgMessageWriter(engine)
            return
        own = create_engine(
            settings.effective_database_url,
            pool_size=1,
            ping_after_idle_seconds=settings.database_ping_after_idle_seconds,
            timeouts=database_timeouts(settings),
        )
        writer = PgMessageWriter(own)
        try:
            yield writer
        finally:
            await writer.aclose()
            await own.dispose()

    @provide(scope=Scope.REQUEST)
    def message_appender(
        self, engine: AsyncEngine, uow: SqlUnitOfWork, writer: PgMessageWriter
    ) -> MessageAppender:
        """The write path of a message: on PostgreSQL the group commit (a send from an
        autocommitted block) or one statement; on SQLite separate statements in the
        transaction (see `adapters/sql/chat/send_paths.py`)."""
        if engine.dialect.name == "postgresql":
            return GroupCommitAppender(uow, writer, SingleStatementAppender(uow.session))
        return SeparateStatementsAppender(uow.session)

    @provide(scope=Scope.REQUEST)
    def conversations(
        self, uow: SqlUnitOfWork, appender: MessageAppender, wakeup: OutboxWakeup
    ) -> ConversationRepository:
        # The message hot path stages its outbox event itself (in the same statement).
        return SqlConversationRepository(uow, appender, on_outbox_commit=wakeup.notify)

    @provide(scope=Scope.REQUEST)
    def conversation_reader(self, session: AsyncSession) -> ConversationReader:
        return SqlConversationReader(session)

    @provide(scope=Scope.REQUEST)
    def peers(self, session: AsyncSession) -> ChatPeers:
        return SqlChatPeers(session)

    @provide(scope=Scope.REQUEST)
    def held_messages(self, session: AsyncSession) -> HeldMessages[Message]:
        return SqlHeldMessages(session)

    @provide(scope=Scope.REQUEST)
    def held_room_messages(self, session: AsyncSession) -> HeldMessages[RoomMessage]:
        return SqlHeldRoomMessages(session)

    @provide(scope=Scope.APP)
    def message_hold_policy(self, settings: Settings) -> MessageHoldPolicy:
        return MessageHoldPolicy(
            new_account_days=settings.moderation_new_account_days,
            first_items=settings.moderation_hold_first_messages,
        )

    @provide(scope=Scope.REQUEST)
    def rooms(self, session: AsyncSession) -> RoomRepository:
        return SqlRoomRepository(session)

    @provide(scope=Scope.REQUEST)
    def room_reader(self, session: AsyncSession) -> RoomReader:
        return SqlRoomReader(session)

    use_cases = provide_all(
        StartConversation,
        SendMessage,
        ListConversations,
        GetConversation,
        ListMessages,
        MarkRead,
        LeaveConversation,
        AcceptConversation,
        SendTyping,
        OpenConversationChannel,
        CreateRoom,
        ListRooms,
        GetRoom,
        JoinRoom,
        LeaveRoom,
        GrantRoomAdmin,
        RestrictRoomMember,
        SendRoomMessage,
        ListRoomMessages,
        OpenRoomChannel,
        LocateMessage,
        ReleaseRoom,
        RemoveRoom,
        RestoreRoom,
        ListHeldRooms,
        ReleaseMessage,
        ReleaseRoomMessage,
        ListHeldMessages,
        LocateRoomMessage,
        LocateRoom,
        RemoveMessage,
        RemoveRoomMessage,
        RestoreMessage,
        RestoreRoomMessage,
        scope=Scope.REQUEST,
    )
