"""The moderation module's `AccountCredentials` (users: `CheckCredentials`) and
`ContentRestoration` (feed: `RestoreContent`; chat: `RestoreMessage`, `RestoreRoomMessage`)
ports."""

from __future__ import annotations

from hypehere.application.chat.restore_message import RestoreMessage, RestoreMessageCommand
from hypehere.application.chat.restore_room import RestoreRoom, RestoreRoomCommand
from hypehere.application.chat.restore_room_message import (
    RestoreRoomMessage,
    RestoreRoomMessageCommand,
)
from hypehere.application.common.actor import Actor
from hypehere.application.feed.restore_content import RestoreContent, RestoreContentCommand
from hypehere.application.users.check_credentials import (
    CheckCredentials,
    CheckCredentialsCommand,
)


class UsersAccountCredentials:
    def __init__(self, check: CheckCredentials) -> None:
        self._check = check

    async def verify(self, email: str, password: str) -> str:
        return (await self._check.execute(CheckCredentialsCommand(email, password))).user_id


class ModuleContentRestoration:
    """Posts and comments through the feed's `RestoreContent`, direct and room messages
    through chat's `RestoreMessage` and `RestoreRoomMessage`, held rooms through
    `RestoreRoom`."""

    def __init__(
        self,
        restore: RestoreContent,
        messages: RestoreMessage,
        room_messages: RestoreRoomMessage,
        rooms: RestoreRoom,
    ) -> None:
        self._restore = restore
        self._messages = messages
        self._room_messages = room_messages
        self._rooms = rooms

    async def restore(self, actor: Actor, content_type: str, content_id: str) -> bool:
        if content_type == "room":
            return (await self._rooms.execute(RestoreRoomCommand(actor, content_id))).changed
        if content_type == "message":
            return (await self._messages.execute(RestoreMessageCommand(actor, content_id))).changed
        if content_type == "room_message":
            restored = await self._room_messages.execute(
                RestoreRoomMessageCommand(actor, content_id)
            )
            return restored.changed
        if content_type == "comment":
            cmd = RestoreContentCommand(actor=actor, comment_id=content_id)
        else:
            cmd = RestoreContentCommand(actor=actor, post_id=content_id)
        return (await self._restore.execute(cmd)).changed
