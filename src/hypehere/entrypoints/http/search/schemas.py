"""Search responses: a page of post or user shapes (API.md "Shapes")."""

from __future__ import annotations

import msgspec

from hypehere.application.search.views import PostResult, UserResult


class SearchPageOut(msgspec.Struct, frozen=True):
    """`items` are posts for `type=posts` (the default) and users for `type=users`."""

    items: list[PostResult | UserResult]
    next_cursor: str | None
