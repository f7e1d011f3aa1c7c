"""What writing a post and editing it share: their ports, and answering with the post as its
author now sees it."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import (
    FeedAudience,
    LanguageDetector,
    PostReader,
    PostRepository,
)
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.errors import PostNotFoundError
from hypehere.domain.shared.clock import Clock


class PostAuthoring:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        reader: PostReader,
        audience: FeedAudience,
        detector: LanguageDetector,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._reader = reader
        self._audience = audience
        self._detector = detector
        self._outbox = outbox
        self._clock = clock

    async def _view(self, author: Actor, post_id: str) -> PostView:
        """The post just written, as its author sees it (404 if it was deleted since)."""
        view = await self._reader.get(author.user_id, post_id, staff=author.is_staff)
        if view is None:
            raise PostNotFoundError("The post was not found.")
        return view
