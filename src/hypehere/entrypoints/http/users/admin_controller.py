"""`/admin/users/{id}/suspend|unsuspend|ban|unban` (staff) and `/admin/users/{id}/role`
(admins): the moderation module's account actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, post
from litestar.status_codes import HTTP_200_OK

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.set_user_role import SetUserRole, SetUserRoleCommand
from hypehere.application.moderation.suspend_user import SuspendUser, SuspendUserCommand
from hypehere.application.moderation.unban_user import UnbanUser, UnbanUserCommand
from hypehere.application.moderation.unsuspend_user import UnsuspendUser, UnsuspendUserCommand
from hypehere.entrypoints.http.users.schemas import MeOut

Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class SuspendIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    days: Annotated[int, msgspec.Meta(ge=1, le=3650)] | None = None
    until: datetime | None = None
    reason: Reason | None = None


class BanIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Reason | None = None


class RoleIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    role: Literal["user", "moderator", "admin", "analyst", "member"]  # member: the old name of user


class AdminUsersController(Controller):
    path = "/admin/users"
    tags = ["admin"]

    @post(
        "/{user_id:str}/suspend",
        status_code=HTTP_200_OK,
        description=(
            "Suspend the account: give exactly one of `days` (1..3650) or `until` (a future "
            "instant); neither or both is 422 `validation_error`."
        ),
    )
    @inject
    async def suspend(
        self, user_id: str, actor: Actor, data: SuspendIn, uc: FromDishka[SuspendUser]
    ) -> MeOut:
        cmd = SuspendUserCommand(
            actor=actor, user_id=user_id, days=data.days, until=data.until, reason=data.reason
        )
        return MeOut.of(await uc.execute(cmd))

    @post("/{user_id:str}/unsuspend", status_code=HTTP_200_OK)
    @inject
    async def unsuspend(self, user_id: str, actor: Actor, uc: FromDishka[UnsuspendUser]) -> MeOut:
        return MeOut.of(await uc.execute(UnsuspendUserCommand(actor=actor, user_id=user_id)))

    @post("/{user_id:str}/ban", status_code=HTTP_200_OK)
    @inject
    async def ban(
        self, user_id: str, actor: Actor, uc: FromDishka[BanUser], data: BanIn | None = None
    ) -> MeOut:
        reason = data.reason if data else None
        cmd = BanUserCommand(actor=actor, user_id=user_id, reason=reason)
        return MeOut.of(await uc.execute(cmd))

    @post("/{user_id:str}/unban", status_code=HTTP_200_OK)
    @inject
    async def unban(self, user_id: str, actor: Actor, uc: FromDishka[UnbanUser]) -> MeOut:
        return MeOut.of(await uc.execute(UnbanUserCommand(actor=actor, user_id=user_id)))

    @post("/{user_id:str}/role", status_code=HTTP_200_OK)
    @inject
    async def role(
        self, user_id: str, actor: Actor, data: RoleIn, uc: FromDishka[SetUserRole]
    ) -> MeOut:
        cmd = SetUserRoleCommand(actor=actor, user_id=user_id, role=data.role)
        return MeOut.of(await uc.execute(cmd))
