"""Moderation removes a post: everyone else sees a placeholder, staff keep the original.
Called by the staff endpoint now and by the report workflow later."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnPost
from hypehere.application.feed.ports import PostRepository
from hypehere.domain.feed.errors import PostNotFoundError
from hypehere.domain.feed.events import PostRemoved
from hypehere.domain.feed.model import RemovalReason
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RemovePostCommand(OnPost, frozen=True):
    reason: RemovalReason = RemovalReason.REPORT


class RemovePost:
    def __init__(
        self, uow: UnitOfWork, posts: PostRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: RemovePostCommand) -> Changed:
        require_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            post = await self._posts.get(cmd.post_id)
            if post is None:
                raise PostNotFoundError("The post was not found.")
            changed = post.remove_by_moderation(now, cmd.reason)
            if changed:
                await self._posts.save(post)
                await self._outbox.add(
                    PostRemoved(occurred_at=now, post_id=post.id, author_id=post.author_id)
                )
        logger.info("post_removed", post_id=post.id, by=cmd.actor.user_id, changed=changed)
        return Changed(changed)
