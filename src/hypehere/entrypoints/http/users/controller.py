"""`/users/*`: my account, profiles, the social graph, partner suggestions."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, get

from hypehere.application.common.actor import Actor
from hypehere.application.users.get_me import GetMe
from hypehere.entrypoints.http.users.schemas import MeOut


class UsersController(Controller):
    path = "/users"
    tags = ["users"]

    @get("/me")
    @inject
    async def get_me(self, actor: Actor, uc: FromDishka[GetMe]) -> MeOut:
        return MeOut.of(await uc.execute(actor))
