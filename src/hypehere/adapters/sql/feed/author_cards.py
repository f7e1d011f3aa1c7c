"""Author cards for posts read without the users join: from the process's
`AuthorCardCache`, the misses in one statement (and kept for the next page)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import ids_in, users
from hypehere.adapters.sql.users.queries import public_user_columns, state_visible
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.application.common.views import UserCard


def live(cache: AuthorCardCache | None) -> AuthorCardCache | None:
    """`cache` if it may be used now: it is off until the broker is proven live, and after
    an outage (`application/common/account_caches.py`); off, pages join `users`."""
    return cache if cache is not None and cache.enabled else None


@functools.cache
def _cards_statement(dialect: str) -> Select[Any]:
    return select(*public_user_columns(users)).where(ids_in(users.c.id, "user_ids", dialect))


async def visible_cards(
    session: AsyncSession, cache: AuthorCardCache, author_ids: Iterable[str]
) -> dict[str, UserCard]:
    """The cards of the authors others may see, by id; a hidden or unknown author is absent
    (the caller drops their posts, as `author_visible` does in SQL)."""
    cards: dict[str, UserCard] = {}
    missing: list[str] = []
    for author_id in dict.fromkeys(author_ids):
        card = cache.get(author_id)
        if card is None:
            missing.append(author_id)
        else:
            cards[author_id] = card
    if missing:
        ticket = cache.ticket()
        statement = _cards_statement(session.get_bind().dialect.name)
        async with translate_errors():
            rows = await session.execute(statement, {"user_ids": missing})
        for row in rows:
            if state_visible(row.state):
                card = UserCard(row.id, row.handle, row.nickname, row.avatar_url)
                cards[row.id] = card
                cache.put(ticket, row.id, card)
    return cards
