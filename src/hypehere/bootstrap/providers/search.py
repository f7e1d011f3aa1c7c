"""Search: Meilisearch when HYPEHERE_MEILISEARCH_URL is set, else the SQL full-text index
of the configured database (SQLite FTS5 or PostgreSQL tsvector + pg_trgm)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.search.meilisearch import MeilisearchSearchIndex
from hypehere.adapters.search.sql import PostgresSearchIndex, SqliteSearchIndex
from hypehere.adapters.sql.engine import is_sqlite
from hypehere.adapters.sql.search.readers import SqlSearchResultReader, SqlSearchSource
from hypehere.application.search.ports import SearchIndex, SearchResultReader, SearchSource
from hypehere.application.search.reindex_search import ReindexSearch
from hypehere.application.search.search_content import SearchContent
from hypehere.application.search.sync_lessons_to_search import SyncLessonsToSearch
from hypehere.application.search.sync_post_to_search import SyncPostToSearch
from hypehere.application.search.sync_user_to_search import SyncUserToSearch
from hypehere.bootstrap.settings import Settings


class MeilisearchIndexProvider(Provider):
    @provide(scope=Scope.APP)
    async def client(self, settings: Settings) -> AsyncIterator[MeilisearchSearchIndex]:
        assert settings.meilisearch_url is not None
        index = MeilisearchSearchIndex(
            settings.meilisearch_url,
            (
                settings.meilisearch_api_key.get_secret_value()
                if settings.meilisearch_api_key is not None
                else None
            ),
            timeout_seconds=settings.meilisearch_timeout_seconds,
        )
        yield index
        await index.aclose()

    @provide(scope=Scope.REQUEST)
    def index(self, client: MeilisearchSearchIndex) -> SearchIndex:
        return client


class SqlIndexProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def index(self, session: AsyncSession, settings: Settings) -> SearchIndex:
        if is_sqlite(settings.effective_database_url):
            return SqliteSearchIndex(session)
        return PostgresSearchIndex(session)


class SearchProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def source(self, session: AsyncSession) -> SearchSource:
        return SqlSearchSource(session)

    @provide
    def reader(self, session: AsyncSession) -> SearchResultReader:
        return SqlSearchResultReader(session)

    search_content = provide(SearchContent)
    reindex = provide(ReindexSearch)
    sync_post = provide(SyncPostToSearch)
    sync_user = provide(SyncUserToSearch)
    sync_lessons = provide(SyncLessonsToSearch)


def search_providers(settings: Settings) -> list[Provider]:
    index: Provider = MeilisearchIndexProvider() if settings.meilisearch_url else SqlIndexProvider()
    return [index, SearchProvider()]
