"""Staff (the moderation scan): held posts and comments still waiting for a verdict,
oldest first, so a check that never completed (a classifier outage longer than the
outbox's retries) is done again."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import CommentRepository, PostRepository
from hypehere.domain.shared.clock import ensure_utc

UNKNOWN_LANGUAGE = "und"  # comments carry no language


class ListHeldContentQuery(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    before: datetime
    limit: int = 100


class HeldItem(msgspec.Struct, frozen=True):
    kind: str  # post | comment
    id: str
    language: str


class ListHeldContent:
    def __init__(self, uow: UnitOfWork, posts: PostRepository, comments: CommentRepository) -> None:
        self._uow = uow
        self._posts = posts
        self._comments = comments

    async def execute(self, query: ListHeldContentQuery) -> list[HeldItem]:
        """At most `limit` items of each kind, oldest first across both."""
        require_staff(query.actor)
        async with self._uow:
            posts = await self._posts.held_before(query.before, query.limit)
            comments = await self._comments.held_before(query.before, query.limit)
        found = [(ensure_utc(p.created_at), HeldItem("post", p.id, p.language)) for p in posts]
        found += [
            (ensure_utc(c.created_at), HeldItem("comment", c.id, UNKNOWN_LANGUAGE))
            for c in comments
        ]
        found.sort(key=lambda pair: (pair[0], pair[1].id))
        return [item for _, item in found]
