"""Strikes and appeals: `/users/me/strikes*` (signed in), `/account-standing/strikes*`
(email and password instead of a token, for suspended or banned users), and
`/admin/appeals*` (staff)."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.appeal_strike import AppealStrike, AppealStrikeCommand
from hypehere.application.moderation.decide_appeal import DecideAppeal, DecideAppealCommand
from hypehere.application.moderation.list_appeals import ListAppeals, ListAppealsCommand
from hypehere.application.moderation.list_my_strikes import ListMyStrikes, ListMyStrikesCommand
from hypehere.application.moderation.strikes_with_credentials import (
    AppealWithCredentials,
    AppealWithCredentialsCommand,
    ListStrikesWithCredentials,
    ListStrikesWithCredentialsCommand,
)
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.moderation.strike_schemas import (
    AdminAppealOut,
    AdminAppealPageOut,
    AppealIn,
    CredentialsAppealIn,
    CredentialsIn,
    DecisionIn,
    StrikeOut,
    StrikePageOut,
)

Req = Request[Any, Any, Any]


class MyStrikesController(Controller):
    path = "/users/me/strikes"
    tags = ["moderation"]

    @get("/")
    @inject
    async def list_strikes(
        self,
        request: Req,
        actor: Actor,
        uc: FromDishka[ListMyStrikes],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> StrikePageOut:
        """My strikes, newest first: every enforcement against me (content removed,
        warning, suspension, ban) with a localized explanation and my appeal, if any. A
        suspended or banned account cannot get a token: it uses
        `POST /account-standing/strikes` with its email and password instead."""
        page = await uc.execute(ListMyStrikesCommand(actor=actor, limit=limit, cursor=cursor))
        return StrikePageOut.of(page, request_language(request))

    @post("/{strike_id:str}/appeal", status_code=HTTP_201_CREATED)
    @inject
    async def appeal(
        self,
        request: Req,
        strike_id: str,
        actor: Actor,
        data: AppealIn,
        uc: FromDishka[AppealStrike],
    ) -> StrikeOut:
        """Appeal one of my strikes: once per strike (409 `appeal_exists`) and within 20
        days of it (410 `appeal_window_closed`). Answers the strike with its appeal."""
        view = await uc.execute(
            AppealStrikeCommand(actor=actor, strike_id=strike_id, text=data.text)
        )
        return StrikeOut.of(view, request_language(request))


class AccountStandingController(Controller):
    """For accounts that cannot sign in because they are suspended or banned (login answers
    403 `account_suspended` / `account_banned`): the email and password in the body stand
    in for a token, for exactly two things, reading the strikes and appealing one. Works for
    any account whose password is right (401 `invalid_credentials` otherwise); rate limited
    like login."""

    path = "/account-standing/strikes"
    tags = ["moderation"]
    opt = {"rate_limit": "auth"}

    @post("/", status_code=HTTP_200_OK)
    @inject
    async def list_strikes(
        self,
        request: Req,
        data: CredentialsIn,
        uc: FromDishka[ListStrikesWithCredentials],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> StrikePageOut:
        """My strikes (as `GET /users/me/strikes`), authenticated by email and password."""
        page = await uc.execute(
            ListStrikesWithCredentialsCommand(
                email=data.email, password=data.password, limit=limit, cursor=cursor
            )
        )
        return StrikePageOut.of(page, request_language(request))

    @post("/{strike_id:str}/appeal", status_code=HTTP_201_CREATED)
    @inject
    async def appeal(
        self,
        request: Req,
        strike_id: str,
        data: CredentialsAppealIn,
        uc: FromDishka[AppealWithCredentials],
    ) -> StrikeOut:
        """Appeal a strike (as `POST /users/me/strikes/{id}/appeal`), authenticated by
        email and password."""
        view = await uc.execute(
            AppealWithCredentialsCommand(
                email=data.email, password=data.password, strike_id=strike_id, text=data.text
            )
        )
        return StrikeOut.of(view, request_language(request))


class AdminAppealsController(Controller):
    path = "/admin/appeals"
    tags = ["admin"]

    @get("/")
    @inject
    async def list_appeals(
        self,
        actor: Actor,
        uc: FromDishka[ListAppeals],
        status: str = "pending",
        limit: int | None = None,
        cursor: str | None = None,
    ) -> AdminAppealPageOut:
        """Appeals in one status (pending, upheld, overturned), oldest first."""
        page = await uc.execute(
            ListAppealsCommand(actor=actor, status=status, limit=limit, cursor=cursor)
        )
        return AdminAppealPageOut.of(page)

    @post("/{appeal_id:str}/uphold", status_code=HTTP_200_OK)
    @inject
    async def uphold(
        self, appeal_id: str, actor: Actor, data: DecisionIn, uc: FromDishka[DecideAppeal]
    ) -> AdminAppealOut:
        """Keep the strike. Only a staff member other than the one who issued it (403
        `same_moderator`)."""
        cmd = DecideAppealCommand(actor=actor, appeal_id=appeal_id, overturn=False, note=data.note)
        return AdminAppealOut.of(await uc.execute(cmd))

    @post("/{appeal_id:str}/overturn", status_code=HTTP_200_OK)
    @inject
    async def overturn(
        self, appeal_id: str, actor: Actor, data: DecisionIn, uc: FromDishka[DecideAppeal]
    ) -> AdminAppealOut:
        """Lift the strike: the removed content is restored, a running suspension or ban
        is lifted, and the report behind it stops counting (report_count -1). Only a staff
        member other than the one who issued it (403 `same_moderator`)."""
        cmd = DecideAppealCommand(actor=actor, appeal_id=appeal_id, overturn=True, note=data.note)
        return AdminAppealOut.of(await uc.execute(cmd))
