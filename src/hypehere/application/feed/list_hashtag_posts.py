"""Posts with a hashtag, newest first."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.access import viewer_of
from hypehere.application.feed.ports import PostReader
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.errors import InvalidHashtagError
from hypehere.domain.feed.rules import normalize_hashtag
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import Page, PageRequest


class ListHashtagPostsQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    tag: str
    limit: int | None = None
    cursor: str | None = None
    language: str | None = None


class ListHashtagPosts:
    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: ListHashtagPostsQuery) -> Page[PostView]:
        page = PageRequest.of(query.limit, query.cursor, arity=2)
        language = parse_language(query.language) if query.language is not None else None
        viewer, staff = viewer_of(query.actor)
        tag = normalize_hashtag(query.tag)
        if tag is None:
            raise InvalidHashtagError("The hashtag is not valid.", field="tag")
        return await self._reader.by_hashtag(viewer, tag, language, page, staff=staff)
