"""A post or comment as a viewer may see it (for reports): its author and text;
PostNotFoundError / CommentNotFoundError when it does not exist or is hidden from them.
Staff see every stored post and comment (enforcement needs the author of any of them)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import visible_comment, visible_post
from hypehere.application.feed.ports import CommentRepository, FeedAudience, PostRepository
from hypehere.domain.feed.errors import CommentNotFoundError, PostNotFoundError


class LocateContentQuery(msgspec.Struct, frozen=True):
    actor: Actor
    post_id: str | None = None
    comment_id: str | None = None


class LocatedContent(msgspec.Struct, frozen=True):
    author_id: str
    content: str


class LocateContent:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        comments: CommentRepository,
        audience: FeedAudience,
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._comments = comments
        self._audience = audience

    async def execute(self, query: LocateContentQuery) -> LocatedContent:
        viewer = query.actor.user_id
        if query.actor.is_staff:
            return await self._as_staff(query)
        async with self._uow:
            if query.comment_id is not None:
                comment, _ = await visible_comment(
                    self._comments, self._posts, self._audience, viewer, query.comment_id
                )
                return LocatedContent(author_id=comment.author_id, content=comment.content)
            post = await visible_post(self._posts, self._audience, viewer, query.post_id or "")
            return LocatedContent(author_id=post.author_id, content=post.content)

    async def _as_staff(self, query: LocateContentQuery) -> LocatedContent:
        async with self._uow:
            if query.comment_id is not None:
                comment = await self._comments.get(query.comment_id)
                if comment is None:
                    raise CommentNotFoundError("The comment was not found.")
                return LocatedContent(author_id=comment.author_id, content=comment.content)
            post = await self._posts.get(query.post_id or "")
            if post is None:
                raise PostNotFoundError("The post was not found.")
            return LocatedContent(author_id=post.author_id, content=post.content)
