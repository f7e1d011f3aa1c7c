"""Staff: undo a moderation removal of a post or comment (an appeal was overturned). The
placeholder goes away for everyone, and the post is announced (`PostRestored`, so search
indexes it again). A post that had been held by the fail-closed tier is released with the
restore (announced as `PostCreated`: nobody but its author had ever seen it)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.create_post import post_created
from hypehere.application.feed.ports import CommentRepository, PostRepository
from hypehere.domain.feed.errors import CommentNotFoundError, PostNotFoundError
from hypehere.domain.feed.events import PostRestored
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RestoreContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    post_id: str | None = None
    comment_id: str | None = None


class RestoreContentResult(msgspec.Struct, frozen=True):
    changed: bool


class RestoreContent:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        comments: CommentRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._comments = comments
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: RestoreContentCommand) -> RestoreContentResult:
        require_staff(cmd.actor)
        async with self._uow:
            if cmd.comment_id is not None:
                comment = await self._comments.get(cmd.comment_id)
                if comment is None:
                    raise CommentNotFoundError("The comment was not found.")
                changed = comment.restore_by_moderation()
                if changed:
                    await self._comments.save(comment)
            else:
                post = await self._posts.get(cmd.post_id or "")
                if post is None:
                    raise PostNotFoundError("The post was not found.")
                changed = post.restore_by_moderation()
                if changed:
                    now = self._clock.now()
                    released = post.release()  # a held post is released with the restore
                    await self._posts.save(post)
                    await self._outbox.add(
                        post_created(post, now)
                        if released
                        else PostRestored(
                            occurred_at=now, post_id=post.id, author_id=post.author_id
                        )
                    )
        logger.info(
            "content_restored",
            post_id=cmd.post_id,
            comment_id=cmd.comment_id,
            by=cmd.actor.user_id,
            changed=changed,
        )
        return RestoreContentResult(changed)
