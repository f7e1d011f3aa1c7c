"""Take back a like on a post. Unliking twice is a no-op; counts stay exact."""

from __future__ import annotations

from hypehere.application.common.commands import Changed
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnPost, visible_post
from hypehere.application.feed.ports import FeedAudience, LikeStore, PostRepository


class UnlikePostCommand(OnPost, frozen=True):
    pass


class UnlikePost:
    def __init__(
        self, uow: UnitOfWork, posts: PostRepository, likes: LikeStore, audience: FeedAudience
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._likes = likes
        self._audience = audience

    async def execute(self, cmd: UnlikePostCommand) -> Changed:
        async with self._uow:
            post = await visible_post(self._posts, self._audience, cmd.actor.user_id, cmd.post_id)
            changed = await self._likes.unlike_post(post.id, cmd.actor.user_id)
        return Changed(changed)
