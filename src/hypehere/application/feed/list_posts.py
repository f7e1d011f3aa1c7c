"""Plain lists of posts: the chronological following feed, a hashtag, an author."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.ports import FeedAudience, PostReader
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.errors import AuthorNotFoundError, InvalidHashtagError
from hypehere.domain.feed.rules import normalize_hashtag
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import Page, PageRequest


class ListPostsQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    limit: int | None = None
    cursor: str | None = None
    language: str | None = None
    hashtag: str | None = None
    author_id: str | None = None


def _common(query: ListPostsQuery) -> tuple[PageRequest, str | None, str | None, bool]:
    page = PageRequest.of(query.limit, query.cursor, arity=2)
    language = parse_language(query.language) if query.language else None
    viewer = query.actor.user_id if query.actor else None
    staff = query.actor.is_staff if query.actor else False
    return page, language, viewer, staff


class GetFollowingFeed:
    """Posts of the people I follow, newest first (removed ones as placeholders)."""

    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: ListPostsQuery) -> Page[PostView]:
        page, language, viewer, staff = _common(query)
        assert viewer is not None, "the following feed needs a signed-in viewer"
        return await self._reader.following(viewer, language, page, staff=staff)


class ListHashtagPosts:
    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: ListPostsQuery) -> Page[PostView]:
        page, language, viewer, staff = _common(query)
        tag = normalize_hashtag(query.hashtag or "")
        if tag is None:
            raise InvalidHashtagError("The hashtag is not valid.", field="tag")
        return await self._reader.by_hashtag(viewer, tag, language, page, staff=staff)


class ListUserPosts:
    """An author's posts, newest first. 404 when the author is hidden from the viewer or
    blocks them; someone who blocks the author gets an empty list (API.md: the blocker
    still sees the profile, without posts)."""

    def __init__(self, reader: PostReader, audience: FeedAudience) -> None:
        self._reader = reader
        self._audience = audience

    async def execute(self, query: ListPostsQuery) -> Page[PostView]:
        page, language, viewer, staff = _common(query)
        author = query.author_id or ""
        if not await self._audience.can_see(viewer, author):
            if viewer is not None and await self._audience.is_blocking(viewer, author):
                return Page(items=[], next_cursor=None)
            raise AuthorNotFoundError("The user was not found.")
        return await self._reader.by_author(viewer, author, language, page, staff=staff)
