"""Shared SQL pieces of the feed: table handles (its own, and the users module's published
read handles and visibility conditions), keyset conditions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    String,
    Table,
    and_,
    any_,
    bindparam,
    or_,
    text,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.feed.tables import (
    CommentLikeRow,
    CommentRow,
    FeedEngagementRow,
    FeedImpressionRow,
    PostEditRow,
    PostHashtagRow,
    PostLanguageSpanRow,
    PostLikeRow,
    PostRow,
    TrendingHashtagRow,
)
from hypehere.adapters.sql.users.queries import block_edges, follow_edges, public_users
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import InvalidCursorError

posts: Table = PostRow.__table__  # type: ignore[attr-defined]
post_edits: Table = PostEditRow.__table__  # type: ignore[attr-defined]
post_spans: Table = PostLanguageSpanRow.__table__  # type: ignore[attr-defined]
post_hashtags: Table = PostHashtagRow.__table__  # type: ignore[attr-defined]
comments: Table = CommentRow.__table__  # type: ignore[attr-defined]
post_likes: Table = PostLikeRow.__table__  # type: ignore[attr-defined]
comment_likes: Table = CommentLikeRow.__table__  # type: ignore[attr-defined]
impressions: Table = FeedImpressionRow.__table__  # type: ignore[attr-defined]
engagements: Table = FeedEngagementRow.__table__  # type: ignore[attr-defined]
trending: Table = TrendingHashtagRow.__table__  # type: ignore[attr-defined]
# The users module's read handles (adapters/sql/users/queries.py) under the feed's names;
# its conditions (author_visible, HIDDEN_STATES, followees_of) are imported from there.
users = public_users
follows = follow_edges
blocks = block_edges

# Who is looking: a user id, a bind parameter for one (statements built once), or nobody.
Viewer = str | BindParameter[str] | None


async def plan_for_parameters(session: AsyncSession) -> None:
    """PostgreSQL only: plan this transaction's statements for their actual parameters.

    asyncpg prepares statements, and after five runs PostgreSQL may switch a prepared
    statement to a generic plan. For the feed's candidate statements (selectivity depends
    on the viewer or the language) the generic plans are 50-200x slower: measured 2-13 s
    instead of 70 ms for a language pool."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def cursor_time(value: object) -> datetime:
    try:
        return ensure_utc(datetime.fromisoformat(str(value)))
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


def keyset(
    created_col: Any, id_col: Any, cursor: tuple[Any, ...] | None, *, desc: bool
) -> ColumnElement[bool]:
    if cursor is None:
        return true()
    ts, last_id = cursor_time(cursor[0]), str(cursor[1])
    if desc:
        return or_(created_col < ts, and_(created_col == ts, id_col < last_id))
    return or_(created_col > ts, and_(created_col == ts, id_col > last_id))


def time_key(created_at: datetime, item_id: str) -> tuple[str, str]:
    return (ensure_utc(created_at).isoformat(), item_id)


def ids_in(column: ColumnElement[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """`column IN (<the list parameter name>)`. On PostgreSQL one array parameter (`= ANY`):
    the statement's text is the same for any number of ids, where an expanding IN is
    rendered again by SQLAlchemy at every execution (5 % of the server's CPU on a page of
    Redis home timeline ids, in a py-spy profile). SQLite has no arrays: an expanding IN."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=postgresql.ARRAY(String)))
    return column.in_(bindparam(name, expanding=True))
