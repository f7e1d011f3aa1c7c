"""The SQL form of the fail-closed moderation tier's one visibility rule
(`domain/shared/holding.py`): a held row (posts, comments, rooms) is seen by its author
and nobody else. Each owning module's queries compose it over its own columns
(`feed/queries.py`: `post_visible_to`, `comment_visible_to`; `chat/rooms.py`: rooms)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, or_

from hypehere.domain.shared.holding import ModerationState


def held_visible_to(
    viewer_id: str | BindParameter[str] | None, state: Any, author: Any
) -> ColumnElement[bool]:
    """Rows whose `state` column is visible, and `viewer_id`'s own held ones (`author` is
    the author column); `viewer_id=None` (anonymous readers, indexing, fan-out) sees
    released rows only."""
    released: ColumnElement[bool] = state == ModerationState.VISIBLE.value
    if viewer_id is None:
        return released
    return or_(released, author == viewer_id)
