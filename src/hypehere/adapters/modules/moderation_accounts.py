"""The moderation module's `AccountCredentials` (users: `CheckCredentials`) and
`ContentRestoration` (feed: `RestoreContent`) ports."""

from __future__ import annotations

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


class FeedContentRestoration:
    def __init__(self, restore: RestoreContent) -> None:
        self._restore = restore

    async def restore(self, actor: Actor, content_type: str, content_id: str) -> bool:
        if content_type == "comment":
            cmd = RestoreContentCommand(actor=actor, comment_id=content_id)
        else:
            cmd = RestoreContentCommand(actor=actor, post_id=content_id)
        return (await self._restore.execute(cmd)).changed
