"""Ask for my account to be deleted: hidden now, purged after a 30-day grace period unless
I log in again before then."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.own_account import OwnAccountTransition
from hypehere.domain.users.model import User


class RequestAccountDeletionCommand(msgspec.Struct, frozen=True):
    actor: Actor


class RequestAccountDeletion(OwnAccountTransition):
    async def execute(self, cmd: RequestAccountDeletionCommand) -> None:
        await self._apply(cmd.actor.user_id, User.request_deletion, reason="deletion_requested")
