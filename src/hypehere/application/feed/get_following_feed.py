"""The chronological following feed: posts of the people I follow, newest first (removed
ones as placeholders)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.ports import FollowingFeed
from hypehere.application.feed.views import PostView
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import Page, PageRequest


class GetFollowingFeedQuery(msgspec.Struct, frozen=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None
    language: str | None = None


class GetFollowingFeed:
    def __init__(self, reader: FollowingFeed) -> None:
        self._reader = reader

    async def execute(self, query: GetFollowingFeedQuery) -> Page[PostView]:
        page = PageRequest.of(query.limit, query.cursor, arity=2)
        language = parse_language(query.language) if query.language is not None else None
        return await self._reader.following(
            query.actor.user_id, language, page, staff=query.actor.is_staff
        )
