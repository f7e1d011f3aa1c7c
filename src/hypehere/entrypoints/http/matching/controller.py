"""`/matching/queue`: wait for a language partner, see my place in line, stop waiting;
`/anonymous-conversations/{id}`: the conversation a match opened."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Response, delete, get, post
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from hypehere.application.common.actor import Actor
from hypehere.application.matching.get_anonymous_conversation import (
    GetAnonymousConversation,
    GetAnonymousConversationCommand,
)
from hypehere.application.matching.get_queue_status import (
    GetQueueStatus,
    GetQueueStatusCommand,
)
from hypehere.application.matching.join_queue import JoinQueue, JoinQueueCommand
from hypehere.application.matching.leave_anonymous_conversation import (
    LeaveAnonymousConversation,
    LeaveAnonymousConversationCommand,
)
from hypehere.application.matching.leave_queue import LeaveQueue, LeaveQueueCommand
from hypehere.application.matching.views import AnonymousConversationView
from hypehere.entrypoints.http.matching.schemas import JoinQueueIn, QueueStatusOut


class MatchingController(Controller):
    path = "/matching"
    tags = ["matching"]

    @post(
        "/queue",
        status_code=HTTP_202_ACCEPTED,
        description=(
            "Wait for a language partner. The languages given override my profile's for "
            "this entry. A match opens an anonymous conversation, announced on "
            "`/ws/matching` (`matched`)."
        ),
    )
    @inject
    async def join_queue(
        self, actor: Actor, data: JoinQueueIn, uc: FromDishka[JoinQueue]
    ) -> Response[QueueStatusOut]:
        status = await uc.execute(
            JoinQueueCommand(
                actor=actor,
                mode=data.mode,
                native_language=data.native_language,
                target_language=data.target_language,
            )
        )
        return Response(
            QueueStatusOut(status.position, status.estimated_wait_seconds),
            status_code=HTTP_202_ACCEPTED,
        )

    @get("/queue")
    @inject
    async def queue_status(self, actor: Actor, uc: FromDishka[GetQueueStatus]) -> QueueStatusOut:
        status = await uc.execute(GetQueueStatusCommand(actor=actor))
        return QueueStatusOut(status.position, status.estimated_wait_seconds)

    @delete("/queue", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def leave_queue(self, actor: Actor, uc: FromDishka[LeaveQueue]) -> None:
        await uc.execute(LeaveQueueCommand(actor=actor))


TRANSCRIPT_NOTE = (
    "Messages of an anonymous conversation are relayed between the two participants and "
    "never stored as chat history. An encrypted transcript (AES-GCM, a random key per "
    "conversation, kept in memory or Redis, never in the database) is kept for 72 hours "
    "from the start of the conversation (HYPEHERE_ANONYMOUS_TRANSCRIPT_HOURS) only so that "
    "a report (`POST /reports` with `target_type: anonymous_conversation`) can attach it; "
    "then nothing remains."
)


class AnonymousConversationsController(Controller):
    path = "/anonymous-conversations"
    tags = ["matching"]

    @get(
        "/{conversation_id:str}",
        description=(
            "Participants only (404 for anyone else). My partner appears as "
            "{native_language, target_languages} until both revealed, then as their public "
            "profile. " + TRANSCRIPT_NOTE
        ),
    )
    @inject
    async def get_conversation(
        self, actor: Actor, conversation_id: str, uc: FromDishka[GetAnonymousConversation]
    ) -> AnonymousConversationView:
        return await uc.execute(
            GetAnonymousConversationCommand(actor=actor, conversation_id=conversation_id)
        )

    @post(
        "/{conversation_id:str}/leave",
        status_code=HTTP_204_NO_CONTENT,
        description="Leave; my partner gets `partner_left`. It ends once both have left. "
        + TRANSCRIPT_NOTE,
    )
    @inject
    async def leave_conversation(
        self, actor: Actor, conversation_id: str, uc: FromDishka[LeaveAnonymousConversation]
    ) -> None:
        await uc.execute(
            LeaveAnonymousConversationCommand(actor=actor, conversation_id=conversation_id)
        )
