"""Staff (the moderation scan): held posts still waiting for a verdict, oldest first, so a
check that never completed (a classifier outage longer than the outbox's retries) is done
again."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import PostRepository


class ListHeldPostsQuery(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    before: datetime
    limit: int = 100


class HeldPost(msgspec.Struct, frozen=True):
    post_id: str
    language: str


class ListHeldPosts:
    def __init__(self, uow: UnitOfWork, posts: PostRepository) -> None:
        self._uow = uow
        self._posts = posts

    async def execute(self, query: ListHeldPostsQuery) -> list[HeldPost]:
        require_staff(query.actor)
        async with self._uow:
            held = await self._posts.held_before(query.before, query.limit)
        return [HeldPost(p.id, p.language) for p in held]
