"""The edit history of a visible post, newest first (empty for a removed post, except for
staff)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.feed.access import viewer_of
from hypehere.application.feed.ports import PostReader
from hypehere.application.feed.views import PostEditView
from hypehere.domain.feed.errors import PostNotFoundError


class ListPostEditsQuery(msgspec.Struct, frozen=True):
    actor: Actor | None
    post_id: str


class ListPostEdits:
    def __init__(self, reader: PostReader) -> None:
        self._reader = reader

    async def execute(self, query: ListPostEditsQuery) -> list[PostEditView]:
        viewer, staff = viewer_of(query.actor)
        view = await self._reader.get(viewer, query.post_id, staff=staff)
        if view is None:
            raise PostNotFoundError("The post was not found.")
        if view.removed and not staff:
            return []
        return await self._reader.edits(query.post_id)
