"""The moderation module's `ReportTargets` and `ContentRemoval` ports, implemented by the
owner modules' use cases: feed (`LocateContent`, `RemovePost`, `RemoveComment`), users
(`GetProfile`: hidden and blocking accounts are not found), chat (`LocateMessage`:
participants only; `LocateRoomMessage`: room members only) and matching
(`LocateAnonymousPartner`: participants only; the owner is the partner, and the transcript
is the report's evidence)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hypehere.application.chat.held_messages import ListHeldMessages, ListHeldMessagesQuery
from hypehere.application.chat.held_rooms import (
    ListHeldRooms,
    ListHeldRoomsQuery,
    LocateRoom,
    LocateRoomQuery,
)
from hypehere.application.chat.locate_message import (
    LocateMessage,
    LocateMessageQuery,
    LocateRoomMessage,
)
from hypehere.application.chat.release_message import ReleaseMessage, ReleaseMessageCommand
from hypehere.application.chat.release_room import ReleaseRoom, ReleaseRoomCommand
from hypehere.application.chat.release_room_message import (
    ReleaseRoomMessage,
    ReleaseRoomMessageCommand,
)
from hypehere.application.chat.remove_message import RemoveMessage, RemoveMessageCommand
from hypehere.application.chat.remove_room import RemoveRoom, RemoveRoomCommand, RoomRemoval
from hypehere.application.chat.remove_room_message import (
    RemoveRoomMessage,
    RemoveRoomMessageCommand,
)
from hypehere.application.common.actor import Actor
from hypehere.application.feed.list_held_content import ListHeldContent, ListHeldContentQuery
from hypehere.application.feed.locate_content import LocateContent, LocateContentQuery
from hypehere.application.feed.release_comment import ReleaseComment, ReleaseCommentCommand
from hypehere.application.feed.release_post import ReleasePost, ReleasePostCommand
from hypehere.application.feed.remove_comment import RemoveComment, RemoveCommentCommand
from hypehere.application.feed.remove_post import RemovePost, RemovePostCommand
from hypehere.application.matching.locate_anonymous_partner import (
    LocateAnonymousPartner,
    LocateAnonymousPartnerQuery,
)
from hypehere.application.moderation.report_ports import ReportedTarget
from hypehere.application.users.get_profile import GetProfile, GetProfileCommand
from hypehere.domain.moderation.errors import ActionNotApplicableError
from hypehere.domain.moderation.model import ReportTargetType, TranscriptLine
from hypehere.domain.shared.errors import NotFoundError

EXCERPT_CHARS = 280


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


class ModuleReportTargets:
    def __init__(
        self,
        content: LocateContent,
        profiles: GetProfile,
        messages: LocateMessage,
        anonymous: LocateAnonymousPartner,
        rooms: LocateRoom,
        room_messages: LocateRoomMessage,
    ) -> None:
        self._rooms = rooms
        self._room_messages = room_messages
        self._content = content
        self._profiles = profiles
        self._messages = messages
        self._anonymous = anonymous

    async def locate(
        self, viewer: Actor, target_type: ReportTargetType, target_id: str
    ) -> ReportedTarget | None:
        try:
            if target_type is ReportTargetType.POST:
                found = await self._content.execute(LocateContentQuery(viewer, post_id=target_id))
                return ReportedTarget(
                    owner_id=found.author_id, excerpt=_excerpt(found.content), text=found.content
                )
            if target_type is ReportTargetType.COMMENT:
                found = await self._content.execute(
                    LocateContentQuery(viewer, comment_id=target_id)
                )
                return ReportedTarget(
                    owner_id=found.author_id, excerpt=_excerpt(found.content), text=found.content
                )
            if target_type is ReportTargetType.ROOM:
                room = await self._rooms.execute(LocateRoomQuery(viewer, target_id))
                return ReportedTarget(
                    owner_id=room.created_by, excerpt=_excerpt(room.text), text=room.text
                )
            if target_type is ReportTargetType.USER:
                profile = await self._profiles.execute(GetProfileCommand(viewer, target_id))
                return ReportedTarget(owner_id=profile.id, excerpt=_excerpt(profile.bio))
            if target_type is ReportTargetType.ANONYMOUS_CONVERSATION:
                partner = await self._anonymous.execute(
                    LocateAnonymousPartnerQuery(viewer, target_id)
                )
                return ReportedTarget(
                    owner_id=partner.partner_id,
                    excerpt="",
                    transcript=tuple(
                        TranscriptLine(from_=t.from_, content=t.content, created_at=t.created_at)
                        for t in partner.transcript
                    ),
                )
            locate = (
                self._room_messages
                if target_type is ReportTargetType.ROOM_MESSAGE
                else self._messages
            )
            message = await locate.execute(LocateMessageQuery(viewer, target_id))
            return ReportedTarget(owner_id=message.sender_id, excerpt=_excerpt(message.content))
        except NotFoundError:
            return None


class ModuleContentRemoval:
    """The moderation module's `ContentRemoval` port: the feed's `RemovePost` and
    `RemoveComment`, chat's `RemoveMessage` and `RemoveRoomMessage` (a held message is
    rejected) and `RemoveRoom` (a held room only)."""

    def __init__(
        self,
        posts: RemovePost,
        comments: RemoveComment,
        messages: RemoveMessage,
        room_messages: RemoveRoomMessage,
        rooms: RemoveRoom,
    ) -> None:
        self._posts = posts
        self._comments = comments
        self._messages = messages
        self._room_messages = room_messages
        self._rooms = rooms

    async def remove(self, actor: Actor, target_type: ReportTargetType, target_id: str) -> bool:
        if target_type is ReportTargetType.POST:
            return (await self._posts.execute(RemovePostCommand(actor, target_id))).changed
        if target_type is ReportTargetType.COMMENT:
            return (await self._comments.execute(RemoveCommentCommand(actor, target_id))).changed
        if target_type is ReportTargetType.MESSAGE:
            return (await self._messages.execute(RemoveMessageCommand(actor, target_id))).changed
        if target_type is ReportTargetType.ROOM_MESSAGE:
            removed = await self._room_messages.execute(RemoveRoomMessageCommand(actor, target_id))
            return removed.changed
        if target_type is ReportTargetType.ROOM:
            outcome = await self._rooms.execute(RemoveRoomCommand(actor, target_id))
            if outcome is RoomRemoval.NOT_HELD:
                raise ActionNotApplicableError(
                    "remove_content applies to a room only while it is held; "
                    "act on its creator instead"
                )
            return outcome is RoomRemoval.REMOVED
        raise ActionNotApplicableError(
            "remove_content applies to posts, comments, messages and held rooms"
        )


class ModuleHeldContent:
    """The moderation module's `HeldContent` port: the feed's `ReleasePost`,
    `ReleaseComment` and `ListHeldContent`, chat's `ReleaseRoom`, `ListHeldRooms`,
    `ReleaseMessage`, `ReleaseRoomMessage` and `ListHeldMessages`."""

    def __init__(
        self,
        posts: ReleasePost,
        comments: ReleaseComment,
        held: ListHeldContent,
        rooms: ReleaseRoom,
        held_rooms: ListHeldRooms,
        messages: ReleaseMessage,
        room_messages: ReleaseRoomMessage,
        held_messages: ListHeldMessages,
    ) -> None:
        self._room_messages = room_messages
        self._posts = posts
        self._comments = comments
        self._held = held
        self._rooms = rooms
        self._held_rooms = held_rooms
        self._messages = messages
        self._held_messages = held_messages

    async def waiting(
        self, actor: Actor, before: datetime, limit: int
    ) -> Sequence[tuple[ReportTargetType, str, str]]:
        found = await self._held.execute(
            ListHeldContentQuery(actor=actor, before=before, limit=limit)
        )
        rooms = await self._held_rooms.execute(
            ListHeldRoomsQuery(actor=actor, before=before, limit=limit)
        )
        messages = await self._held_messages.execute(
            ListHeldMessagesQuery(actor=actor, before=before, limit=limit)
        )
        return (
            [(ReportTargetType(i.kind), i.id, i.language) for i in found]
            + [(ReportTargetType.ROOM, r.room_id, r.language) for r in rooms]
            + [(ReportTargetType.MESSAGE, m, "und") for m in messages.direct]
            + [(ReportTargetType.ROOM_MESSAGE, m, "und") for m in messages.room]
        )

    async def release(self, actor: Actor, content_type: ReportTargetType, content_id: str) -> bool:
        if content_type is ReportTargetType.POST:
            return (await self._posts.execute(ReleasePostCommand(actor, content_id))).changed
        if content_type is ReportTargetType.COMMENT:
            return (await self._comments.execute(ReleaseCommentCommand(actor, content_id))).changed
        if content_type is ReportTargetType.ROOM:
            return (await self._rooms.execute(ReleaseRoomCommand(actor, content_id))).changed
        if content_type is ReportTargetType.MESSAGE:
            return (await self._messages.execute(ReleaseMessageCommand(actor, content_id))).changed
        if content_type is ReportTargetType.ROOM_MESSAGE:
            released = await self._room_messages.execute(
                ReleaseRoomMessageCommand(actor, content_id)
            )
            return released.changed
        return False  # users and anonymous conversations are never held
