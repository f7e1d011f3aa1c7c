"""The feed module's published read-only queries: what other modules' SQL may compose
(search renders its post hits from these in one statement). See `users/queries.py` for
what a read handle is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Exists, FromClause, Table, exists

from hypehere.adapters.sql.feed.common import comments, post_likes, posts
from hypehere.adapters.sql.holding import held_visible_to
from hypehere.adapters.sql.read_handle import read_handle

public_posts: Table = read_handle(posts)
"""`posts`, every column (removed posts included: filter on `removed_at`)."""
public_comments: Table = read_handle(comments)
"""`comments`, every column (removed comments included: filter on `removed_at`)."""
_post_likes: Table = read_handle(post_likes)
public_post_likes: Table = _post_likes
"""`post_likes` (post_id, user_id, created_at): analytics counts a day's likes per post."""


def post_visible_to(
    viewer_id: str | BindParameter[str] | None, table: FromClause = public_posts
) -> ColumnElement[bool]:
    """THE rule of the fail-closed moderation tier: a held post (waiting for a verdict) is
    seen by its author and nobody else; `viewer_id=None` (anonymous readers, search
    indexing, trending, fan-out) sees released posts only. Every SQL read of posts for
    someone composes this condition (`table` is the feed's own `posts` inside the feed
    package, the read handle elsewhere)."""
    return held_visible_to(viewer_id, table.c.moderation_state, table.c.author_id)


def comment_visible_to(
    viewer_id: str | BindParameter[str] | None, table: Table = public_comments
) -> ColumnElement[bool]:
    """The same rule for comments (a new account's first comments are held): every SQL
    read of comments for someone composes it."""
    return held_visible_to(viewer_id, table.c.moderation_state, table.c.author_id)


def post_liked_by(post_id: Any, user_id: Any) -> Exists:
    """EXISTS: `user_id` likes the post `post_id` (usually `public_posts.c.id`)."""
    return exists().where(_post_likes.c.post_id == post_id, _post_likes.c.user_id == user_id)
