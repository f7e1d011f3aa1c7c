"""Read one visible post."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.access import viewer_of
from hypehere.application.feed.ports import PostReader
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.errors import PostNotFoundError


class GetPostQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    post_id: str


class GetPost:
    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: GetPostQuery) -> PostView:
        viewer, staff = viewer_of(query.actor)
        view = await self._reader.get(viewer, query.post_id, staff=staff)
        if view is None:
            raise PostNotFoundError("The post was not found.")
        return view
