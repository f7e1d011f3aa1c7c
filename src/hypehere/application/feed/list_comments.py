"""Comments on a visible post, oldest first."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.access import viewer_of
from hypehere.application.feed.ports import CommentReader, PostReader
from hypehere.application.feed.views import CommentView
from hypehere.domain.feed.errors import PostNotFoundError
from hypehere.domain.shared.pagination import Page, PageRequest


class ListCommentsQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    post_id: str
    limit: int | None = None
    cursor: str | None = None


class ListComments:
    def __init__(self, posts: PostReader, comments: CommentReader) -> None:
        self._posts = posts
        self._comments = comments

    async def execute(self, query: ListCommentsQuery) -> Page[CommentView]:
        page = PageRequest.of(query.limit, query.cursor, arity=2)
        viewer, staff = viewer_of(query.actor)
        if await self._posts.get(viewer, query.post_id, staff=staff) is None:
            raise PostNotFoundError("The post was not found.")
        return await self._comments.for_post(viewer, query.post_id, page, staff=staff)
