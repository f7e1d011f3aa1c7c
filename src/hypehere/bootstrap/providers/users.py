"""The users module: repositories, readers, hashing, tokens and every users use case."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from hypehere.adapters.crypto.jwt_codec import JwtAccessTokenCodec
from hypehere.adapters.modules.users_auth import UsersAccessTokenVerifier
from hypehere.adapters.sql.users.readers import SqlUserReader
from hypehere.adapters.sql.users.repositories import (
    SqlAccountStatusReader,
    SqlRefreshTokenRepository,
    SqlSocialGraph,
    SqlUserCounters,
    SqlUserRepository,
)
from hypehere.adapters.validation.email_validator import LibraryEmailValidator
from hypehere.application.common.account_caches import AccountCaches, AccountStatusListener
from hypehere.application.common.auth import AccessTokenVerifier
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.application.common.broker import Broker
from hypehere.application.users.account_status_cache import (
    AccountStatusCache,
    CachedAccountStatusReader,
)
from hypehere.application.users.adjust_post_count import AdjustPostCount
from hypehere.application.users.block_user import BlockUser
from hypehere.application.users.change_password import ChangePassword
from hypehere.application.users.check_credentials import CheckCredentials
from hypehere.application.users.count_accepted_correction import CountAcceptedCorrection
from hypehere.application.users.create_admin import CreateAdmin
from hypehere.application.users.deactivate_account import DeactivateAccount
from hypehere.application.users.follow_user import FollowUser
from hypehere.application.users.get_me import GetMe
from hypehere.application.users.get_profile import GetProfile
from hypehere.application.users.get_relationship import GetRelationship
from hypehere.application.users.get_user_summaries import GetUserSummaries
from hypehere.application.users.list_blocks import ListBlocks
from hypehere.application.users.list_followers import ListFollowers
from hypehere.application.users.list_following import ListFollowing
from hypehere.application.users.log_in import LogIn
from hypehere.application.users.log_out import LogOut
from hypehere.application.users.ports import (
    AccessTokenCodec,
    AccountStatusReader,
    EmailValidator,
    PasswordHasher,
    UserReader,
)
from hypehere.application.users.purge_deleted_accounts import PurgeDeletedAccounts
from hypehere.application.users.refresh_session import RefreshSession
from hypehere.application.users.register_user import RegisterUser
from hypehere.application.users.request_account_deletion import RequestAccountDeletion
from hypehere.application.users.sessions import SessionIssuer, TokenPolicy
from hypehere.application.users.suggest_partners import SuggestPartners
from hypehere.application.users.unblock_user import UnblockUser
from hypehere.application.users.unfollow_user import UnfollowUser
from hypehere.application.users.update_me import UpdateMe
from hypehere.application.users.verify_access_token import VerifyAccessToken
from hypehere.bootstrap.settings import Settings
from hypehere.domain.users.ports import (
    RefreshTokenRepository,
    SocialGraph,
    UserCounters,
    UserRepository,
)


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
        return TokenPolicy(
            refresh_token_ttl_days=settings.refresh_token_ttl_days,
            session_max_age_days=settings.session_max_age_days,
        )

    @provide(scope=Scope.REQUEST)
    def users(self, session: AsyncSession) -> UserRepository:
        return SqlUserRepository(session)

    @provide(scope=Scope.REQUEST)
    def graph(self, session: AsyncSession) -> SocialGraph:
        return SqlSocialGraph(session)

    @provide(scope=Scope.REQUEST)
    def counters(self, session: AsyncSession) -> UserCounters:
        return SqlUserCounters(session)

    @provide(scope=Scope.REQUEST)
    def refresh_tokens(self, session: AsyncSession) -> RefreshTokenRepository:
        return SqlRefreshTokenRepository(session)

    @provide(scope=Scope.APP)
    def account_status_cache(self, settings: Settings) -> AccountStatusCache:
        return AccountStatusCache(
            settings.account_status_cache_size, settings.account_status_cache_ttl_seconds
        )

    @provide(scope=Scope.APP)
    def author_card_cache(self, settings: Settings) -> AuthorCardCache:
        return AuthorCardCache(
            settings.author_card_cache_size, settings.author_card_cache_ttl_seconds
        )

    @provide(scope=Scope.APP)
    def account_caches(self, statuses: AccountStatusCache, cards: AuthorCardCache) -> AccountCaches:
        return AccountCaches((statuses, cards))

    @provide(scope=Scope.APP)
    def account_status_listener(
        self, caches: AccountCaches, broker: Broker
    ) -> AccountStatusListener:
        # Started by the server's lifespan; a process that never starts it (worker, jobs)
        # keeps its caches off and reads the database, as without them.
        return AccountStatusListener(caches, broker)

    @provide(scope=Scope.REQUEST)
    def account_status(
        self, session: AsyncSession, cache: AccountStatusCache
    ) -> AccountStatusReader:
        return CachedAccountStatusReader(cache, SqlAccountStatusReader(session))

    @provide(scope=Scope.REQUEST)
    def reader(self, session: AsyncSession) -> UserReader:
        return SqlUserReader(session)

    verifier = provide(UsersAccessTokenVerifier, provides=AccessTokenVerifier, scope=Scope.REQUEST)

    use_cases = provide_all(
        SessionIssuer,
        RegisterUser,
        LogIn,
        CheckCredentials,
        RefreshSession,
        LogOut,
        GetMe,
        UpdateMe,
        ChangePassword,
        DeactivateAccount,
        RequestAccountDeletion,
        GetProfile,
        FollowUser,
        UnfollowUser,
        BlockUser,
        UnblockUser,
        ListFollowers,
        ListFollowing,
        ListBlocks,
        SuggestPartners,
        GetRelationship,
        GetUserSummaries,
        PurgeDeletedAccounts,
        CreateAdmin,
        VerifyAccessToken,
        AdjustPostCount,
        CountAcceptedCorrection,
        scope=Scope.REQUEST,
    )
