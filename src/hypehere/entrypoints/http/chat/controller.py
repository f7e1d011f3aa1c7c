"""`/conversations/*` (1:1 chat) and `/rooms/*` (open chat rooms) over HTTP."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Response, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from hypehere.application.chat.accept_conversation import (
    AcceptConversation,
    AcceptConversationCommand,
)
from hypehere.application.chat.create_room import CreateRoom, CreateRoomCommand
from hypehere.application.chat.get_conversation import GetConversation, GetConversationCommand
from hypehere.application.chat.get_room import GetRoom, GetRoomCommand
from hypehere.application.chat.grant_room_admin import GrantRoomAdmin, GrantRoomAdminCommand
from hypehere.application.chat.join_room import JoinRoom, JoinRoomCommand
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
from hypehere.application.chat.list_rooms import ListRooms, ListRoomsCommand
from hypehere.application.chat.mark_read import MarkRead, MarkReadCommand
from hypehere.application.chat.restrict_room_member import (
    RestrictRoomMember,
    RestrictRoomMemberCommand,
)
from hypehere.application.chat.send_message import SendMessage, SendMessageCommand
from hypehere.application.chat.send_room_message import SendRoomMessage, SendRoomMessageCommand
from hypehere.application.chat.start_conversation import (
    StartConversation,
    StartConversationCommand,
)
from hypehere.application.chat.views import ConversationView, MessageView, RoomMessageView, RoomView
from hypehere.application.common.actor import Actor
from hypehere.domain.chat.model import Folder, RestrictionKind
from hypehere.entrypoints.http.chat.schemas import (
    ConversationListOut,
    CreateRoomIn,
    JoinRoomIn,
    KickIn,
    MessageListOut,
    RoomListOut,
    RoomMessageListOut,
    SendMessageIn,
    StartConversationIn,
)
from hypehere.entrypoints.http.rate_limit import POST, RATE_LIMIT_OPT


class ConversationsController(Controller):
    path = "/conversations"
    tags = ["chat"]

    @get("/")
    @inject
    async def list_conversations(
        self,
        actor: Actor,
        uc: FromDishka[ListConversations],
        folder: Folder = Folder.INBOX,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ConversationListOut:
        result = await uc.execute(
            ListConversationsCommand(actor=actor, folder=folder, limit=limit, cursor=cursor)
        )
        return ConversationListOut(items=list(result.items), next_cursor=result.next_cursor)

    @post("/", opt={RATE_LIMIT_OPT: POST})
    @inject
    async def start_conversation(
        self, actor: Actor, data: StartConversationIn, uc: FromDishka[StartConversation]
    ) -> Response[ConversationView]:
        result = await uc.execute(StartConversationCommand(actor=actor, user_id=data.user_id))
        status = HTTP_201_CREATED if result.created else HTTP_200_OK
        return Response(result.conversation, status_code=status)

    @get("/{conversation_id:str}")
    @inject
    async def get_conversation(
        self, actor: Actor, conversation_id: str, uc: FromDishka[GetConversation]
    ) -> ConversationView:
        return await uc.execute(
            GetConversationCommand(actor=actor, conversation_id=conversation_id)
        )

    @get("/{conversation_id:str}/messages")
    @inject
    async def list_messages(
        self,
        actor: Actor,
        conversation_id: str,
        uc: FromDishka[ListMessages],
        limit: int | None = None,
        cursor: str | None = None,
        after: str | None = None,
    ) -> MessageListOut:
        result = await uc.execute(
            ListMessagesCommand(
                actor=actor,
                conversation_id=conversation_id,
                limit=limit,
                cursor=cursor,
                after=after,
            )
        )
        return MessageListOut(items=result.items, next_cursor=result.next_cursor)

    @post(
        "/{conversation_id:str}/messages",
        status_code=HTTP_201_CREATED,
        opt={RATE_LIMIT_OPT: POST},
    )
    @inject
    async def send_message(
        self,
        actor: Actor,
        conversation_id: str,
        data: SendMessageIn,
        uc: FromDishka[SendMessage],
    ) -> MessageView:
        result = await uc.execute(
            SendMessageCommand(
                actor=actor,
                conversation_id=conversation_id,
                content=data.content,
                client_id=data.client_id,
            )
        )
        return result.message

    @post("/{conversation_id:str}/read", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def mark_read(self, actor: Actor, conversation_id: str, uc: FromDishka[MarkRead]) -> None:
        await uc.execute(MarkReadCommand(actor=actor, conversation_id=conversation_id))

    @post("/{conversation_id:str}/leave", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def leave(
        self, actor: Actor, conversation_id: str, uc: FromDishka[LeaveConversation]
    ) -> None:
        await uc.execute(LeaveConversationCommand(actor=actor, conversation_id=conversation_id))

    @post("/{conversation_id:str}/accept", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def accept(
        self, actor: Actor, conversation_id: str, uc: FromDishka[AcceptConversation]
    ) -> None:
        await uc.execute(AcceptConversationCommand(actor=actor, conversation_id=conversation_id))


class RoomsController(Controller):
    path = "/rooms"
    tags = ["chat"]

    @get("/")
    @inject
    async def list_rooms(
        self,
        actor: Actor,
        uc: FromDishka[ListRooms],
        language: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> RoomListOut:
        result = await uc.execute(
            ListRoomsCommand(viewer_id=actor.user_id, language=language, limit=limit, cursor=cursor)
        )
        return RoomListOut(items=list(result.items), next_cursor=result.next_cursor)

    @post("/", status_code=HTTP_201_CREATED, opt={RATE_LIMIT_OPT: POST})
    @inject
    async def create_room(
        self, actor: Actor, data: CreateRoomIn, uc: FromDishka[CreateRoom]
    ) -> RoomView:
        return await uc.execute(
            CreateRoomCommand(
                actor=actor,
                name=data.name,
                description=data.description,
                language=data.language,
                password=data.password,
                max_participants=data.max_participants,
            )
        )

    @get("/{room_id:str}")
    @inject
    async def get_room(self, actor: Actor, room_id: str, uc: FromDishka[GetRoom]) -> RoomView:
        return await uc.execute(GetRoomCommand(room_id=room_id, viewer_id=actor.user_id))

    @post("/{room_id:str}/join", status_code=HTTP_200_OK, opt={RATE_LIMIT_OPT: POST})
    @inject
    async def join_room(
        self,
        actor: Actor,
        room_id: str,
        uc: FromDishka[JoinRoom],
        data: JoinRoomIn | None = None,
    ) -> RoomView:
        password = data.password if data is not None else None
        return await uc.execute(JoinRoomCommand(actor=actor, room_id=room_id, password=password))

    @post("/{room_id:str}/leave", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def leave_room(self, actor: Actor, room_id: str, uc: FromDishka[LeaveRoom]) -> None:
        await uc.execute(LeaveRoomCommand(actor=actor, room_id=room_id))

    @get("/{room_id:str}/messages")
    @inject
    async def list_room_messages(
        self,
        actor: Actor,
        room_id: str,
        uc: FromDishka[ListRoomMessages],
        limit: int | None = None,
        cursor: str | None = None,
        after: str | None = None,
    ) -> RoomMessageListOut:
        result = await uc.execute(
            ListRoomMessagesCommand(
                actor=actor, room_id=room_id, limit=limit, cursor=cursor, after=after
            )
        )
        return RoomMessageListOut(items=result.items, next_cursor=result.next_cursor)

    @post("/{room_id:str}/messages", status_code=HTTP_201_CREATED, opt={RATE_LIMIT_OPT: POST})
    @inject
    async def send_room_message(
        self, actor: Actor, room_id: str, data: SendMessageIn, uc: FromDishka[SendRoomMessage]
    ) -> RoomMessageView:
        result = await uc.execute(
            SendRoomMessageCommand(
                actor=actor, room_id=room_id, content=data.content, client_id=data.client_id
            )
        )
        return result.message

    @post("/{room_id:str}/admins/{user_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def grant_admin(
        self, actor: Actor, room_id: str, user_id: str, uc: FromDishka[GrantRoomAdmin]
    ) -> None:
        await uc.execute(GrantRoomAdminCommand(actor=actor, room_id=room_id, user_id=user_id))

    @post("/{room_id:str}/kick/{user_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def kick(
        self,
        actor: Actor,
        room_id: str,
        user_id: str,
        data: KickIn,
        uc: FromDishka[RestrictRoomMember],
    ) -> None:
        await uc.execute(
            RestrictRoomMemberCommand(
                actor=actor,
                room_id=room_id,
                user_id=user_id,
                kind=RestrictionKind.KICK,
                duration_minutes=data.duration_minutes,
            )
        )

    @post("/{room_id:str}/ban/{user_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def ban(
        self, actor: Actor, room_id: str, user_id: str, uc: FromDishka[RestrictRoomMember]
    ) -> None:
        await uc.execute(
            RestrictRoomMemberCommand(
                actor=actor, room_id=room_id, user_id=user_id, kind=RestrictionKind.BAN
            )
        )
