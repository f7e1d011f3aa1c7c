"""`/auth/*`: register, log in, refresh, log out (login/register are rate-limited)."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from hypehere.application.users.log_in import LogIn, LogInCommand
from hypehere.application.users.log_out import LogOut, LogOutCommand
from hypehere.application.users.refresh_session import RefreshSession, RefreshSessionCommand
from hypehere.application.users.register_user import (
    RegisterUser,
    RegisterUserCommand,
    TargetLanguageInput,
)
from hypehere.entrypoints.http.users.schemas import (
    LoginIn,
    RefreshIn,
    RegisterIn,
    SessionOut,
    TokensOut,
)


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", status_code=HTTP_201_CREATED, opt={"rate_limit": "auth"})
    @inject
    async def register(self, data: RegisterIn, uc: FromDishka[RegisterUser]) -> SessionOut:
        result = await uc.execute(
            RegisterUserCommand(
                email=data.email,
                password=data.password,
                nickname=data.nickname,
                native_language=data.native_language,
                target_languages=tuple(
                    TargetLanguageInput(language=t.language, level=t.level)
                    for t in data.target_languages
                ),
                interface_language=data.interface_language,
            )
        )
        return SessionOut.of(result)

    @post("/login", status_code=HTTP_200_OK, opt={"rate_limit": "auth"})
    @inject
    async def login(self, data: LoginIn, uc: FromDishka[LogIn]) -> SessionOut:
        return SessionOut.of(await uc.execute(LogInCommand(data.email, data.password)))

    @post("/refresh", status_code=HTTP_200_OK, opt={"rate_limit": "auth"})
    @inject
    async def refresh(self, data: RefreshIn, uc: FromDishka[RefreshSession]) -> TokensOut:
        return TokensOut.of(await uc.execute(RefreshSessionCommand(data.refresh_token)))

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def logout(self, data: RefreshIn, uc: FromDishka[LogOut]) -> None:
        await uc.execute(LogOutCommand(data.refresh_token))
