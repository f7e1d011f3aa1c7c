"""Outbox handlers that keep the search index in step with posts and users.

Each handler reads the CURRENT state of the post or user and upserts or deletes its
document, so redelivered, duplicated or reordered events are harmless."""

from __future__ import annotations

import structlog

from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.search.ports import SearchIndex, SearchSource
from hypehere.domain.search.model import SearchKind

logger = structlog.get_logger(__name__)

POST_TOPICS: tuple[str, ...] = (
    "feed.post_created",
    "feed.post_updated",
    "feed.post_deleted",
    "feed.post_removed",
)
PURGED_STATE = "deleted"  # users.state_changed after the grace period: the row is gone
USER_TOPICS: tuple[str, ...] = (
    "users.registered",
    "users.profile_updated",
    "users.state_changed",
)


class SyncPostToSearch:
    handler_name = "search.sync_post"

    def __init__(self, source: SearchSource, index: SearchIndex, uow: UnitOfWork) -> None:
        self._source = source
        self._index = index
        self._uow = uow

    async def handle(self, message: OutboxMessage) -> None:
        post_id = str(message.payload["post_id"])
        async with self._uow:
            document = await self._source.post_document(post_id)
            if document is None:
                await self._index.delete(SearchKind.POSTS, [post_id])
            else:
                await self._index.upsert([document])
        logger.info(
            "search_post_synced",
            post_id=post_id,
            topic=message.topic,
            indexed=document is not None,
        )


class SyncUserToSearch:
    handler_name = "search.sync_user"

    def __init__(self, source: SearchSource, index: SearchIndex, uow: UnitOfWork) -> None:
        self._source = source
        self._index = index
        self._uow = uow

    async def handle(self, message: OutboxMessage) -> None:
        user_id = str(message.payload["user_id"])
        async with self._uow:
            document = await self._source.user_document(user_id)
            if document is None:
                await self._index.delete(SearchKind.USERS, [user_id])
                if message.payload.get("state") == PURGED_STATE:
                    # A purge deletes the posts with the account, without post events.
                    await self._index.delete_owned(SearchKind.POSTS, user_id)
            else:
                await self._index.upsert([document])
        logger.info(
            "search_user_synced",
            user_id=user_id,
            topic=message.topic,
            indexed=document is not None,
        )
