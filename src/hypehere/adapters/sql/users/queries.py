"""The users module's published read-only queries: what other modules' SQL may compose.

Other SQL packages never import the users tables; they join these read handles and
conditions instead, so a statement that needs users' data stays one statement. The
handles are `TableClause`s over the same tables: they render exactly the SQL the tables
would (`FROM users`), carry the column types, and expose only the columns other modules may
read. Every condition takes values, bind parameters or columns, so it can be correlated
with the caller's rows (`blocked_either_way(bindparam("sender"), participants.c.user_id)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnClause,
    Exists,
    Select,
    Table,
    TableClause,
    and_,
    column,
    exists,
    or_,
    select,
    table,
)

from hypehere.adapters.sql.tables.users import BlockRow, FollowRow, UserRow


def _read_handle(source: Table, names: Sequence[str] | None = None) -> TableClause:
    """A `TableClause` named like `source` with (some of) its typed columns, in table order."""
    wanted = set(names) if names is not None else None
    return table(
        source.name,
        *(column(c.name, c.type) for c in source.columns if wanted is None or c.name in wanted),
    )


PUBLIC_USER_COLUMNS = ("id", "handle", "nickname", "avatar_url", "state")

public_users: TableClause = _read_handle(UserRow.__table__, PUBLIC_USER_COLUMNS)  # type: ignore[attr-defined]
"""`users`, public columns only (id, handle, nickname, avatar_url, state)."""
_settings = _read_handle(UserRow.__table__, ("id", "chat_policy", "send_read_receipts"))  # type: ignore[attr-defined]
_follows = _read_handle(FollowRow.__table__)  # type: ignore[attr-defined]
_blocks = _read_handle(BlockRow.__table__)  # type: ignore[attr-defined]

# Account states nobody else sees (gone, going, or banned).
HIDDEN_STATES = ("deactivated", "deletion_requested", "deleted", "banned")


def public_user_columns(source: Any = public_users) -> list[ColumnClause[Any]]:
    """id, handle, nickname, avatar_url, state of `public_users` (or of an alias of it,
    e.g. `public_users.alias("other_user")`), to render a person next to something."""
    c = source.c
    return [c.id, c.handle, c.nickname, c.avatar_url, c.state]


def chat_settings(user_ids: Iterable[str]) -> Select[Any]:
    """`SELECT id, chat_policy, send_read_receipts FROM users WHERE id IN (...)`: users
    without a row are absent (the caller applies the defaults)."""
    c = _settings.c
    return select(c.id, c.chat_policy, c.send_read_receipts).where(c.id.in_(list(user_ids)))


def blocked_either_way(a: Any, b: Any) -> Exists:
    """EXISTS: `a` blocked `b` or `b` blocked `a` (one EXISTS with an OR inside)."""
    return exists().where(
        or_(
            and_(_blocks.c.blocker_id == a, _blocks.c.blocked_id == b),
            and_(_blocks.c.blocker_id == b, _blocks.c.blocked_id == a),
        )
    )


def follows_clause(follower_id: Any, followee_id: Any) -> Exists:
    """EXISTS: `follower_id` follows `followee_id`."""
    return exists().where(
        _follows.c.follower_id == follower_id, _follows.c.followee_id == followee_id
    )


def user_exists_clause(user_id: Any) -> Exists:
    """EXISTS: an account with this id that others can see (its state is not hidden)."""
    return exists().where(public_users.c.id == user_id, public_users.c.state.not_in(HIDDEN_STATES))
