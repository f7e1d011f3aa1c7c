"""Strikes and appeals for a user who cannot sign in because they are suspended or banned:
the email and password are checked (whatever the account's state) instead of a token, then
the ordinary use cases run for that account. Rate limited like login at the entry point."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.appeal_strike import AppealStrike, AppealStrikeCommand
from hypehere.application.moderation.list_my_strikes import ListMyStrikes, ListMyStrikesCommand
from hypehere.application.moderation.strike_ports import AccountCredentials
from hypehere.application.moderation.strike_views import StrikePageView, StrikeView


class ListStrikesWithCredentialsCommand(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    limit: int | None = None
    cursor: str | None = None


class ListStrikesWithCredentials:
    def __init__(self, credentials: AccountCredentials, strikes: ListMyStrikes) -> None:
        self._credentials = credentials
        self._strikes = strikes

    async def execute(self, cmd: ListStrikesWithCredentialsCommand) -> StrikePageView:
        user_id = await self._credentials.verify(cmd.email, cmd.password)
        return await self._strikes.execute(
            ListMyStrikesCommand(actor=Actor(user_id), limit=cmd.limit, cursor=cmd.cursor)
        )


class AppealWithCredentialsCommand(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    strike_id: str
    text: str


class AppealWithCredentials:
    def __init__(self, credentials: AccountCredentials, appeal: AppealStrike) -> None:
        self._credentials = credentials
        self._appeal = appeal

    async def execute(self, cmd: AppealWithCredentialsCommand) -> StrikeView:
        user_id = await self._credentials.verify(cmd.email, cmd.password)
        return await self._appeal.execute(
            AppealStrikeCommand(actor=Actor(user_id), strike_id=cmd.strike_id, text=cmd.text)
        )
