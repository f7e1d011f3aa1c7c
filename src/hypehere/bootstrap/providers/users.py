"""The users module: repositories, readers, hashing, tokens and every users use case."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from hypehere.adapters.crypto.jwt_codec import JwtAccessTokenCodec
from hypehere.adapters.sql.users import (
    SqlAccountStatusReader,
    SqlRefreshTokenRepository,
    SqlSocialGraph,
    SqlUserRepository,
)
from hypehere.adapters.validation.email_validator import LibraryEmailValidator
from hypehere.application.common.auth import AccessTokenVerifier
from hypehere.application.users.get_me import GetMe
from hypehere.application.users.log_in import LogIn
from hypehere.application.users.log_out import LogOut
from hypehere.application.users.ports import (
    AccessTokenCodec,
    AccountStatusReader,
    EmailValidator,
    PasswordHasher,
)
from hypehere.application.users.refresh_session import RefreshSession
from hypehere.application.users.register_user import RegisterUser
from hypehere.application.users.sessions import SessionIssuer, TokenPolicy
from hypehere.application.users.verify_access_token import VerifyAccessToken
from hypehere.bootstrap.settings import Settings
from hypehere.domain.users.ports import RefreshTokenRepository, SocialGraph, UserRepository


def password_hasher_for(settings: Settings) -> Argon2PasswordHasher:
    if settings.password_hash_profile == "fast":
        return Argon2PasswordHasher(time_cost=1, memory_cost_kib=64, parallelism=1)
    return Argon2PasswordHasher(
        time_cost=settings.password_hash_time_cost,
        memory_cost_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
    )


class UsersProvider(Provider):
    @provide(scope=Scope.APP)
    def password_hasher(self, settings: Settings) -> PasswordHasher:
        return password_hasher_for(settings)

    @provide(scope=Scope.APP)
    def access_token_codec(self, settings: Settings) -> AccessTokenCodec:
        return JwtAccessTokenCodec(
            settings.resolved_jwt_secret(), settings.access_token_ttl_seconds
        )

    @provide(scope=Scope.APP)
    def email_validator(self) -> EmailValidator:
        return LibraryEmailValidator()

    @provide(scope=Scope.APP)
    def token_policy(self, settings: Settings) -> TokenPolicy:
        return TokenPolicy(refresh_token_ttl_days=settings.refresh_token_ttl_days)

    @provide(scope=Scope.REQUEST)
    def users(self, session: AsyncSession) -> UserRepository:
        return SqlUserRepository(session)

    @provide(scope=Scope.REQUEST)
    def graph(self, session: AsyncSession) -> SocialGraph:
        return SqlSocialGraph(session)

    @provide(scope=Scope.REQUEST)
    def refresh_tokens(self, session: AsyncSession) -> RefreshTokenRepository:
        return SqlRefreshTokenRepository(session)

    @provide(scope=Scope.REQUEST)
    def account_status(self, session: AsyncSession) -> AccountStatusReader:
        return SqlAccountStatusReader(session)

    verifier = provide(VerifyAccessToken, provides=AccessTokenVerifier, scope=Scope.REQUEST)

    use_cases = provide_all(
        SessionIssuer,
        RegisterUser,
        LogIn,
        RefreshSession,
        LogOut,
        GetMe,
        scope=Scope.REQUEST,
    )
