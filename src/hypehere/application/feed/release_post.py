"""Moderation releases a held post (the fail-closed tier): its verdict was safe, or staff
approved it. From now on everyone allowed to see the author's posts sees it, and it is
announced with `PostCreated` as if it had just been written (followers and mentions are
notified, search indexes it, the author's post count goes up). Idempotent: releasing a post
that is not held (or was removed meanwhile) changes nothing and announces nothing."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnPost
from hypehere.application.feed.create_post import post_created
from hypehere.application.feed.ports import PostRepository
from hypehere.domain.feed.errors import PostNotFoundError
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReleasePostCommand(OnPost, frozen=True):
    pass


class ReleasePost:
    def __init__(
        self, uow: UnitOfWork, posts: PostRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: ReleasePostCommand) -> Changed:
        require_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            post = await self._posts.get(cmd.post_id)
            if post is None:
                raise PostNotFoundError("The post was not found.")
            changed = not post.is_removed and post.release()
            if changed:
                await self._posts.save(post)
                await self._outbox.add(post_created(post, now))
        logger.info("post_released", post_id=post.id, by=cmd.actor.user_id, changed=changed)
        return Changed(changed)
