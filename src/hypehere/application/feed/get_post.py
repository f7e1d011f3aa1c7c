"""Read one post (and its edit history)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.ports import PostReader
from hypehere.application.feed.views import PostEditView, PostView
from hypehere.domain.feed.errors import PostNotFoundError


class GetPostQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    post_id: str


class GetPost:
    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: GetPostQuery) -> PostView:
        viewer = query.actor.user_id if query.actor else None
        staff = query.actor.is_staff if query.actor else False
        view = await self._reader.get(viewer, query.post_id, staff=staff)
        if view is None:
            raise PostNotFoundError("The post was not found.")
        return view


class ListPostEdits:
    """The edit history of a visible post, newest first."""

    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: GetPostQuery) -> list[PostEditView]:
        viewer = query.actor.user_id if query.actor else None
        staff = query.actor.is_staff if query.actor else False
        view = await self._reader.get(viewer, query.post_id, staff=staff)
        if view is None:
            raise PostNotFoundError("The post was not found.")
        if view.removed and not staff:
            return []
        return await self._reader.edits(query.post_id)
