"""The users module's published read-only queries: what other modules' SQL may compose.

Other SQL packages never import the users tables (import-linter forbids it); they join
these read handles and conditions instead, so a feed page, a notification fan-out or a
conversation list stays one statement.

The handles are `Table` objects of the same names in a metadata of their own (so alembic
and `create_all` never see them): they render exactly the SQL the real tables would (`FROM
users`, `users.handle`, operands in the same order), carry the column types (so datetimes
come back as UTC), and expose only the columns other modules may read (no email, no
password hash). They are for SELECTs: only the users module writes these tables.

Every condition takes values, bind parameters or columns, so it can be correlated with
the caller's rows (`blocked_either_way(bindparam("sender"), participants.c.user_id)`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Exists,
    Select,
    String,
    Table,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
)

from hypehere.adapters.sql.read_handle import read_handle
from hypehere.adapters.sql.users.tables import blocks_t, follows_t, langs_t, users_t

# The columns of `users` other modules may read (a profile as the public sees it, the
# account state for visibility, the chat settings other users' messages depend on, and the
# calendar and review settings learning's streaks and schedules depend on).
PUBLIC_USER_COLUMNS = (
    "id",
    "handle",
    "nickname",
    "bio",
    "avatar_url",
    "native_language",
    "state",
    "chat_policy",
    "send_read_receipts",
    "timezone",
    "desired_retention",
    "follower_count",
    "following_count",
    "post_count",
    "created_at",
)

public_users: Table = read_handle(users_t, PUBLIC_USER_COLUMNS)
"""`users`, public columns only (see `PUBLIC_USER_COLUMNS`)."""
follow_edges: Table = read_handle(follows_t)
"""`follows`: follower_id, followee_id, created_at."""
block_edges: Table = read_handle(blocks_t)
"""`blocks`: blocker_id, blocked_id, created_at."""
user_languages: Table = read_handle(langs_t)
"""`user_target_languages`: user_id, language, level, position."""

# Account states nobody else sees (domain.users: only active and suspended are visible).
HIDDEN_STATES = ("deactivated", "deletion_requested", "deleted", "banned")
VISIBLE_STATES = ("active", "suspended")
# The same lists as SQL constants: `state NOT IN ('deactivated', ...)` is part of the
# cached statement, where a list of values is an "expanding" parameter SQLAlchemy renders
# into the SQL again at every execution (a few % of a timeline page's server CPU).
_HIDDEN_SQL = [literal_column(f"'{state}'", String) for state in HIDDEN_STATES]
_VISIBLE_SQL = [literal_column(f"'{state}'", String) for state in VISIBLE_STATES]


def public_user_columns(source: Any = public_users) -> list[Any]:
    """id, handle, nickname, avatar_url, state of `public_users` (or of an alias of it,
    e.g. `public_users.alias("other_user")`), to render a person next to something."""
    c = source.c
    return [c.id, c.handle, c.nickname, c.avatar_url, c.state]


def chat_settings_columns(source: Any = public_users) -> list[Any]:
    """id, chat_policy, send_read_receipts of `public_users` (or of an alias of it)."""
    c = source.c
    return [c.id, c.chat_policy, c.send_read_receipts]


def chat_settings(user_ids: Iterable[str]) -> Select[Any]:
    """`SELECT id, chat_policy, send_read_receipts FROM users WHERE id IN (...)`: users
    without a row are absent (the caller applies the defaults)."""
    return select(*chat_settings_columns()).where(public_users.c.id.in_(list(user_ids)))


def blocks_clause(blocker_id: Any, blocked_id: Any) -> Exists:
    """EXISTS: `blocker_id` blocked `blocked_id` (one direction)."""
    return exists().where(
        block_edges.c.blocker_id == blocker_id, block_edges.c.blocked_id == blocked_id
    )


def blocked_either_way(a: Any, b: Any) -> Exists:
    """EXISTS: `a` blocked `b` or `b` blocked `a` (one EXISTS with an OR inside)."""
    return exists().where(
        or_(
            and_(block_edges.c.blocker_id == a, block_edges.c.blocked_id == b),
            and_(block_edges.c.blocker_id == b, block_edges.c.blocked_id == a),
        )
    )


def follows_clause(follower_id: Any, followee_id: Any) -> Exists:
    """EXISTS: `follower_id` follows `followee_id`."""
    return exists().where(
        follow_edges.c.follower_id == follower_id, follow_edges.c.followee_id == followee_id
    )


def user_exists_clause(user_id: Any) -> Exists:
    """EXISTS: an account with this id that others can see (its state is not hidden)."""
    return exists().where(public_users.c.id == user_id, public_users.c.state.not_in(_HIDDEN_SQL))


def followees_of(user_id: Any) -> Select[Any]:
    """`SELECT followee_id FROM follows WHERE follower_id = :user_id` (for IN / a CTE)."""
    return select(follow_edges.c.followee_id).where(follow_edges.c.follower_id == user_id)


def author_visible(viewer_id: Any, author_id: Any, author_state: Any) -> ColumnElement[bool]:
    """The author's account is shown and neither side blocked the other (two NOT EXISTS;
    no block check when `viewer_id` is None, i.e. nobody is signed in)."""
    condition: ColumnElement[bool] = author_state.not_in(_HIDDEN_SQL)
    if viewer_id is None:
        return condition
    return and_(condition, unblocked(viewer_id, author_id))


def unblocked(viewer_id: Any, author_id: Any) -> ColumnElement[bool]:
    """Neither side blocked the other (two NOT EXISTS): `author_visible` without the
    account's state, for a caller that checks the state itself (`state_visible`)."""
    return and_(~blocks_clause(viewer_id, author_id), ~blocks_clause(author_id, viewer_id))


def state_visible(state: str) -> bool:
    """`author_visible`'s state rule in Python, for a state read or cached earlier."""
    return state not in HIDDEN_STATES


def visible_to(viewer_id: str | None, owner_id: Any, owner_state: Any) -> ColumnElement[bool]:
    """The same rule as `author_visible`, written as `state IN (visible states)` (the form
    search's statements were tuned with)."""
    condition: ColumnElement[bool] = owner_state.in_(_VISIBLE_SQL)
    if viewer_id is None:
        return condition
    return and_(
        condition,
        ~blocks_clause(viewer_id, owner_id),
        ~blocks_clause(owner_id, viewer_id),
    )


def blocked_ids_of(viewer_id: Any) -> tuple[Select[Any], Select[Any]]:
    """The people `viewer_id` blocked and the people who blocked them, as two selects of
    one `user_id` column (UNION them, or add columns)."""
    return (
        select(block_edges.c.blocked_id.label("user_id")).where(
            block_edges.c.blocker_id == viewer_id
        ),
        select(block_edges.c.blocker_id.label("user_id")).where(
            block_edges.c.blocked_id == viewer_id
        ),
    )


def count_users_with_email_like(pattern: str) -> Select[Any]:
    """`SELECT count(*) FROM users WHERE email LIKE :pattern`."""
    return select(func.count()).select_from(users_t).where(users_t.c.email.like(pattern))


def users_with_email_like(pattern: str) -> Select[Any]:
    """`SELECT id FROM users WHERE email LIKE :pattern` (the demo seed and benchmarks find
    their demo accounts with it; emails are otherwise not published)."""
    return select(users_t.c.id).where(users_t.c.email.like(pattern))
