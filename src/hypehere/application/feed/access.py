"""Who is acting on which post or comment (the command shapes), and loading posts and comments
they are allowed to see (404 otherwise)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.ports import CommentRepository, FeedAudience, PostRepository
from hypehere.domain.feed.errors import CommentNotFoundError, PostNotFoundError
from hypehere.domain.feed.model import Comment, Post


class OnPost(msgspec.Struct, frozen=True):
    """`actor` acts on the post `post_id` (which they must be able to see)."""

    actor: Actor
    post_id: str


class OnComment(msgspec.Struct, frozen=True):
    """`actor` acts on the comment `comment_id` (which they must be able to see)."""

    actor: Actor
    comment_id: str


def viewer_of(actor: Actor | None) -> tuple[str | None, bool]:
    """The viewer's user id and staff flag; (None, False) for an anonymous reader."""
    if actor is None:
        return None, False
    return actor.user_id, actor.is_staff


async def visible_post(
    posts: PostRepository, audience: FeedAudience, viewer_id: str | None, post_id: str
) -> Post:
    post = await posts.get(post_id)
    if post is None or not post.visible_to(viewer_id):
        # a held post (waiting for a moderation verdict) exists for its author only
        raise PostNotFoundError("The post was not found.")
    if not await audience.can_see(viewer_id, post.author_id):
        raise PostNotFoundError("The post was not found.")
    return post


async def visible_comment(
    comments: CommentRepository,
    posts: PostRepository,
    audience: FeedAudience,
    viewer_id: str | None,
    comment_id: str,
) -> tuple[Comment, Post]:
    comment = await comments.get(comment_id)
    if (
        comment is None
        or not comment.visible_to(viewer_id)  # held: its author only
        or not await audience.can_see(viewer_id, comment.author_id)
    ):
        raise CommentNotFoundError("The comment was not found.")
    try:
        post = await visible_post(posts, audience, viewer_id, comment.post_id)
    except PostNotFoundError as exc:
        raise CommentNotFoundError("The comment was not found.") from exc
    return comment, post
