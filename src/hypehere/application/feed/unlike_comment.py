"""Take back a like on a comment (idempotent, exact counters)."""

from __future__ import annotations

from hypehere.application.common.commands import Changed
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnComment, visible_comment
from hypehere.application.feed.ports import (
    CommentRepository,
    FeedAudience,
    LikeStore,
    PostRepository,
)


class UnlikeCommentCommand(OnComment, frozen=True):
    pass


class UnlikeComment:
    def __init__(
        self,
        uow: UnitOfWork,
        comments: CommentRepository,
        posts: PostRepository,
        likes: LikeStore,
        audience: FeedAudience,
    ) -> None:
        self._uow = uow
        self._comments = comments
        self._posts = posts
        self._likes = likes
        self._audience = audience

    async def execute(self, cmd: UnlikeCommentCommand) -> Changed:
        async with self._uow:
            comment, _post = await visible_comment(
                self._comments, self._posts, self._audience, cmd.actor.user_id, cmd.comment_id
            )
            changed = await self._likes.unlike_comment(comment.id, cmd.actor.user_id)
        return Changed(changed)
