"""Deactivate my account: hidden until I log in again (within 30 days)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.own_account import OwnAccountTransition
from hypehere.domain.users.model import User


class DeactivateAccountCommand(msgspec.Struct, frozen=True):
    actor: Actor


class DeactivateAccount(OwnAccountTransition):
    async def execute(self, cmd: DeactivateAccountCommand) -> None:
        await self._apply(cmd.actor.user_id, User.deactivate, reason="deactivated")
