"""An author's posts, newest first. 404 when the author is hidden from the viewer or
blocks them; someone who blocks the author gets an empty list (API.md: the blocker still
sees the profile, without posts)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.access import viewer_of
from hypehere.application.feed.ports import FeedAudience, PostReader
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.errors import AuthorNotFoundError
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import Page, PageRequest


class ListUserPostsQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    author_id: str
    limit: int | None = None
    cursor: str | None = None
    language: str | None = None


class ListUserPosts:
    def __init__(self, reader: PostReader, audience: FeedAudience) -> None:
        self._reader = reader
        self._audience = audience

    async def execute(self, query: ListUserPostsQuery) -> Page[PostView]:
        page = PageRequest.of(query.limit, query.cursor, arity=2)
        language = parse_language(query.language) if query.language is not None else None
        viewer, staff = viewer_of(query.actor)
        author = query.author_id
        if not await self._audience.can_see(viewer, author):
            if viewer is not None and await self._audience.is_blocking(viewer, author):
                return Page(items=[], next_cursor=None)
            raise AuthorNotFoundError("The user was not found.")
        return await self._reader.by_author(viewer, author, language, page, staff=staff)
