"""The feed module's published read-only queries: what other modules' SQL may compose
(search renders its post hits from these in one statement). See `users/queries.py` for
what a read handle is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Exists, Table, exists

from hypehere.adapters.sql.feed.common import comments, post_likes, posts
from hypehere.adapters.sql.read_handle import read_handle

public_posts: Table = read_handle(posts)
"""`posts`, every column (removed posts included: filter on `removed_at`)."""
public_comments: Table = read_handle(comments)
"""`comments`, every column (removed comments included: filter on `removed_at`)."""
_post_likes: Table = read_handle(post_likes)
public_post_likes: Table = _post_likes
"""`post_likes` (post_id, user_id, created_at): analytics counts a day's likes per post."""


def post_liked_by(post_id: Any, user_id: Any) -> Exists:
    """EXISTS: `user_id` likes the post `post_id` (usually `public_posts.c.id`)."""
    return exists().where(_post_likes.c.post_id == post_id, _post_likes.c.user_id == user_id)
