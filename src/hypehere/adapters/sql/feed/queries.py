"""The feed module's published read-only queries: what other modules' SQL may compose
(search renders its post hits from these in one statement). See `users/queries.py` for
what a read handle is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Exists, Table, TableClause, column, exists, table

from hypehere.adapters.sql.feed.tables import PostLikeRow, PostRow


def _read_handle(source: Table) -> TableClause:
    return table(source.name, *(column(c.name, c.type) for c in source.columns))


public_posts: TableClause = _read_handle(PostRow.__table__)  # type: ignore[attr-defined]
"""`posts`, every column (removed posts included: filter on `removed_at`)."""
_post_likes: TableClause = _read_handle(PostLikeRow.__table__)  # type: ignore[attr-defined]


def post_liked_by(post_id: Any, user_id: Any) -> Exists:
    """EXISTS: `user_id` likes the post `post_id` (usually `public_posts.c.id`)."""
    return exists().where(_post_likes.c.post_id == post_id, _post_likes.c.user_id == user_id)
