"""The feed module: SQL adapters over the request's session, the language detector (one
per process), the ranked-feed snapshot store over the Cache port, the home timelines of
the following feed (`HYPEHERE_HOME_TIMELINE`: SQL fan-in, or fan-out into Redis), and the
use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.language.lingua_detector import LinguaLanguageDetector
from hypehere.adapters.language.script_detector import ScriptLanguageDetector
from hypehere.adapters.memory.home_timelines import InMemoryHomeTimelines
from hypehere.adapters.redis.home_timelines import RedisHomeTimelines
from hypehere.adapters.sql.engine import ReadSession
from hypehere.adapters.sql.feed.audience import SqlFeedAudience
from hypehere.adapters.sql.feed.candidates import SqlFeedCandidates
from hypehere.adapters.sql.feed.home_timeline import SqlHomeTimelineSource
from hypehere.adapters.sql.feed.log import SqlFeedLog
from hypehere.adapters.sql.feed.pools import CandidatePools
from hypehere.adapters.sql.feed.readers import SqlCommentReader, SqlPostReader
from hypehere.adapters.sql.feed.repositories import (
    SqlCommentRepository,
    SqlLikeStore,
    SqlPostRepository,
)
from hypehere.adapters.sql.feed.trending import SqlTrendingStore
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.application.common.cache import Cache
from hypehere.application.feed.cool_home_timelines import CoolHomeTimelines
from hypehere.application.feed.create_comment import CreateComment
from hypehere.application.feed.create_post import CreatePost
from hypehere.application.feed.delete_comment import DeleteComment
from hypehere.application.feed.delete_post import DeletePost
from hypehere.application.feed.fan_out_post import FanOutPost
from hypehere.application.feed.get_feed import GetRankedFeed
from hypehere.application.feed.get_following_feed import GetFollowingFeed
from hypehere.application.feed.get_post import GetPost
from hypehere.application.feed.get_trending_hashtags import GetTrendingHashtags
from hypehere.application.feed.home_timeline import HomeTimelineConfig, HomeTimelineFeed
from hypehere.application.feed.invalidate_feed import InvalidateFeed
from hypehere.application.feed.like_comment import LikeComment
from hypehere.application.feed.like_post import LikePost
from hypehere.application.feed.list_comments import ListComments
from hypehere.application.feed.list_hashtag_posts import ListHashtagPosts
from hypehere.application.feed.list_held_content import ListHeldContent
from hypehere.application.feed.list_post_edits import ListPostEdits
from hypehere.application.feed.list_user_posts import ListUserPosts
from hypehere.application.feed.locate_content import LocateContent
from hypehere.application.feed.ports import (
    CommentReader,
    CommentRepository,
    FeedAudience,
    FeedCandidates,
    FeedLog,
    FollowingFeed,
    HomeTimelines,
    HomeTimelineSource,
    LanguageDetector,
    LikeStore,
    PostReader,
    PostRepository,
    TrendingStore,
)
from hypehere.application.feed.refresh_trending_hashtags import RefreshTrendingHashtags
from hypehere.application.feed.release_comment import ReleaseComment
from hypehere.application.feed.release_post import ReleasePost
from hypehere.application.feed.remove_comment import RemoveComment
from hypehere.application.feed.remove_post import RemovePost
from hypehere.application.feed.restore_content import RestoreContent
from hypehere.application.feed.retract_post import RetractPost
from hypehere.application.feed.snapshots import FeedSnapshots
from hypehere.application.feed.unlike_comment import UnlikeComment
from hypehere.application.feed.unlike_post import UnlikePost
from hypehere.application.feed.update_post import UpdatePost
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.holding import CommentHoldPolicy, HoldPolicy


class FeedProvider(Provider):
    @provide(scope=Scope.APP)
    def language_detector(self, settings: Settings) -> LanguageDetector:
        if settings.language_detector == "simple":
            return ScriptLanguageDetector()
        return LinguaLanguageDetector()

    @provide(scope=Scope.APP)
    def hold_policy(self, settings: Settings) -> HoldPolicy:
        return HoldPolicy(
            new_account_days=settings.moderation_new_account_days,
            first_items=settings.moderation_hold_first_posts,
        )

    @provide(scope=Scope.APP)
    def comment_hold_policy(self, settings: Settings) -> CommentHoldPolicy:
        return CommentHoldPolicy(
            new_account_days=settings.moderation_new_account_days,
            first_items=settings.moderation_hold_first_comments,
        )

    @provide(scope=Scope.APP)
    def snapshots(self, cache: Cache) -> FeedSnapshots:
        return FeedSnapshots(cache)

    @provide(scope=Scope.REQUEST)
    def posts(self, session: AsyncSession) -> PostRepository:
        return SqlPostRepository(session)

    @provide(scope=Scope.REQUEST)
    def comments(self, session: AsyncSession) -> CommentRepository:
        return SqlCommentRepository(session)

    @provide(scope=Scope.REQUEST)
    def likes(self, session: AsyncSession) -> LikeStore:
        return SqlLikeStore(session)

    @provide(scope=Scope.REQUEST)
    def audience(self, session: AsyncSession) -> FeedAudience:
        return SqlFeedAudience(session)

    @provide(scope=Scope.REQUEST)
    def post_reader(self, session: AsyncSession, cards: AuthorCardCache) -> PostReader:
        return SqlPostReader(session, cards=cards)

    @provide(scope=Scope.APP)
    def home_timeline_config(self, settings: Settings) -> HomeTimelineConfig:
        return HomeTimelineConfig(
            enabled=settings.home_timeline == "redis",
            celebrity_followers=settings.home_timeline_celebrity_followers,
        )

    @provide(scope=Scope.REQUEST)
    def home_timeline_source(self, session: AsyncSession) -> HomeTimelineSource:
        return SqlHomeTimelineSource(session)

    # The timeline pages are pure reads: they run on the request's read session (no
    # transaction round trips on PostgreSQL; `adapters/sql/engine.ReadSession`).
    @provide(scope=Scope.REQUEST)
    def following(
        self,
        config: HomeTimelineConfig,
        timelines: HomeTimelines,
        reads: ReadSession,
        cards: AuthorCardCache,
    ) -> FollowingFeed:
        reader = SqlPostReader(reads)  # the SQL following timeline joins `users`
        if not config.enabled:
            return reader
        return HomeTimelineFeed(timelines, SqlHomeTimelineSource(reads, cards), reader, config)

    @provide(scope=Scope.REQUEST)
    def hashtag_posts(self, reads: ReadSession) -> ListHashtagPosts:
        return ListHashtagPosts(SqlPostReader(reads))

    @provide(scope=Scope.REQUEST)
    def user_posts(self, reads: ReadSession) -> ListUserPosts:
        return ListUserPosts(SqlPostReader(reads), SqlFeedAudience(reads))

    @provide(scope=Scope.REQUEST)
    def comment_reader(self, session: AsyncSession) -> CommentReader:
        return SqlCommentReader(session)

    @provide(scope=Scope.APP)
    async def candidate_pools(
        self, settings: Settings, factory: async_sessionmaker[AsyncSession], cache: Cache
    ) -> AsyncIterator[CandidatePools]:
        # With Redis the processes share the pools they read; an in-process cache would
        # only hold a second copy of this process's own.
        shared = cache if settings.redis_url is not None else None
        pools = CandidatePools(settings.feed_pool_ttl_seconds, factory, shared=shared)
        yield pools
        await pools.close()

    @provide(scope=Scope.REQUEST)
    def candidates(self, session: AsyncSession, pools: CandidatePools) -> FeedCandidates:
        return SqlFeedCandidates(session, pools)

    @provide(scope=Scope.REQUEST)
    def feed_log(self, session: AsyncSession) -> FeedLog:
        return SqlFeedLog(session)

    @provide(scope=Scope.REQUEST)
    def trending_store(self, session: AsyncSession) -> TrendingStore:
        return SqlTrendingStore(session)

    create_post = provide(CreatePost, scope=Scope.REQUEST)
    update_post = provide(UpdatePost, scope=Scope.REQUEST)
    delete_post = provide(DeletePost, scope=Scope.REQUEST)
    get_post = provide(GetPost, scope=Scope.REQUEST)
    list_post_edits = provide(ListPostEdits, scope=Scope.REQUEST)
    like_post = provide(LikePost, scope=Scope.REQUEST)
    unlike_post = provide(UnlikePost, scope=Scope.REQUEST)
    like_comment = provide(LikeComment, scope=Scope.REQUEST)
    unlike_comment = provide(UnlikeComment, scope=Scope.REQUEST)
    create_comment = provide(CreateComment, scope=Scope.REQUEST)
    delete_comment = provide(DeleteComment, scope=Scope.REQUEST)
    list_comments = provide(ListComments, scope=Scope.REQUEST)
    remove_post = provide(RemovePost, scope=Scope.REQUEST)
    release_post = provide(ReleasePost, scope=Scope.REQUEST)
    release_comment = provide(ReleaseComment, scope=Scope.REQUEST)
    list_held_content = provide(ListHeldContent, scope=Scope.REQUEST)
    remove_comment = provide(RemoveComment, scope=Scope.REQUEST)
    locate_content = provide(LocateContent, scope=Scope.REQUEST)
    restore_content = provide(RestoreContent, scope=Scope.REQUEST)
    ranked_feed = provide(GetRankedFeed, scope=Scope.REQUEST)
    following_feed = provide(GetFollowingFeed, scope=Scope.REQUEST)
    get_trending = provide(GetTrendingHashtags, scope=Scope.REQUEST)
    refresh_trending = provide(RefreshTrendingHashtags, scope=Scope.REQUEST)
    invalidate_feed = provide(InvalidateFeed, scope=Scope.REQUEST)
    fan_out_post = provide(FanOutPost, scope=Scope.REQUEST)
    retract_post = provide(RetractPost, scope=Scope.REQUEST)
    cool_home_timelines = provide(CoolHomeTimelines, scope=Scope.REQUEST)


class RedisHomeTimelinesProvider(Provider):
    """HYPEHERE_HOME_TIMELINE=redis: the timelines in the process's Redis."""

    @provide(scope=Scope.APP)
    def home_timelines(self, redis: Redis, settings: Settings) -> HomeTimelines:
        return RedisHomeTimelines(
            redis,
            horizon=settings.home_timeline_horizon,
            idle_seconds=settings.home_timeline_idle_seconds,
        )


class SqlFollowingFeedProvider(Provider):
    """HYPEHERE_HOME_TIMELINE=sql: the following feed is read in SQL; the outbox's
    home-timeline handlers see the feature disabled and do nothing, so this in-process
    store is never written."""

    @provide(scope=Scope.APP)
    def home_timelines(self, settings: Settings) -> HomeTimelines:
        return InMemoryHomeTimelines(settings.home_timeline_horizon)


def feed_providers(settings: Settings) -> list[Provider]:
    home = (
        RedisHomeTimelinesProvider()
        if settings.home_timeline == "redis"
        else SqlFollowingFeedProvider()
    )
    return [FeedProvider(), home]
