"""Delete a comment: by its author or by the author of the post it is on."""

from __future__ import annotations

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnComment, visible_comment
from hypehere.application.feed.ports import CommentRepository, FeedAudience, PostRepository


class DeleteCommentCommand(OnComment, frozen=True):
    pass


class DeleteComment:
    def __init__(
        self,
        uow: UnitOfWork,
        comments: CommentRepository,
        posts: PostRepository,
        audience: FeedAudience,
    ) -> None:
        self._uow = uow
        self._comments = comments
        self._posts = posts
        self._audience = audience

    async def execute(self, cmd: DeleteCommentCommand) -> None:
        async with self._uow:
            comment, post = await visible_comment(
                self._comments, self._posts, self._audience, cmd.actor.user_id, cmd.comment_id
            )
            comment.ensure_can_delete(cmd.actor.user_id, post.author_id)
            await self._comments.delete(comment)
