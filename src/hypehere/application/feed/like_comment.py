"""Like a comment (idempotent, exact counters)."""

from __future__ import annotations

from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnComment, visible_comment
from hypehere.application.feed.ports import (
    CommentRepository,
    FeedAudience,
    LikeStore,
    PostRepository,
)
from hypehere.domain.feed.errors import ContentRemovedError
from hypehere.domain.feed.events import CommentLiked
from hypehere.domain.shared.clock import Clock


class LikeCommentCommand(OnComment, frozen=True):
    pass


class LikeComment:
    def __init__(
        self,
        uow: UnitOfWork,
        comments: CommentRepository,
        posts: PostRepository,
        likes: LikeStore,
        audience: FeedAudience,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._comments = comments
        self._posts = posts
        self._likes = likes
        self._audience = audience
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: LikeCommentCommand) -> Changed:
        now = self._clock.now()
        user_id = cmd.actor.user_id
        async with self._uow:
            comment, _post = await visible_comment(
                self._comments, self._posts, self._audience, user_id, cmd.comment_id
            )
            if comment.is_removed:
                raise ContentRemovedError("This comment was removed.")
            changed = await self._likes.like_comment(comment.id, user_id, now)
            if changed:
                await self._outbox.add(
                    CommentLiked(
                        occurred_at=now,
                        comment_id=comment.id,
                        comment_author_id=comment.author_id,
                        post_id=comment.post_id,
                        user_id=user_id,
                    )
                )
        return Changed(changed)
