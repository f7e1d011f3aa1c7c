"""The author deletes a post: a hard delete of its content, comments and likes."""

from __future__ import annotations

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnPost, visible_post
from hypehere.application.feed.ports import FeedAudience, PostRepository
from hypehere.domain.feed.events import PostDeleted
from hypehere.domain.shared.clock import Clock


class DeletePostCommand(OnPost, frozen=True):
    pass


class DeletePost:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        audience: FeedAudience,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._audience = audience
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: DeletePostCommand) -> None:
        async with self._uow:
            post = await visible_post(self._posts, self._audience, cmd.actor.user_id, cmd.post_id)
            post.ensure_author(cmd.actor.user_id)
            await self._posts.delete(post.id)
            await self._outbox.add(
                PostDeleted(
                    occurred_at=self._clock.now(), post_id=post.id, author_id=post.author_id
                )
            )
