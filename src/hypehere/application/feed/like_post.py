"""Like a post. Liking twice is a no-op; counts stay exact under concurrency."""

from __future__ import annotations

from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnPost, visible_post
from hypehere.application.feed.ports import (
    Engagement,
    FeedAudience,
    FeedLog,
    LikeStore,
    PostRepository,
)
from hypehere.domain.feed.errors import ContentRemovedError
from hypehere.domain.feed.events import PostLiked
from hypehere.domain.shared.clock import Clock


class LikePostCommand(OnPost, frozen=True):
    pass


class LikePost:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        likes: LikeStore,
        audience: FeedAudience,
        log: FeedLog,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._likes = likes
        self._audience = audience
        self._log = log
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: LikePostCommand) -> Changed:
        now = self._clock.now()
        user_id = cmd.actor.user_id
        async with self._uow:
            post = await visible_post(self._posts, self._audience, user_id, cmd.post_id)
            if post.is_removed:
                raise ContentRemovedError("This post was removed.")
            changed = await self._likes.like_post(post.id, user_id, now)
            if changed:
                await self._log.record_engagement(
                    Engagement(user_id, post.id, post.author_id, "like", now)
                )
                await self._outbox.add(
                    PostLiked(
                        occurred_at=now,
                        post_id=post.id,
                        post_author_id=post.author_id,
                        user_id=user_id,
                    )
                )
        return Changed(changed)
