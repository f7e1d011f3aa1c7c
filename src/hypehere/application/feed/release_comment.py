"""Moderation releases a held comment (the fail-closed tier): its verdict was safe, or
staff approved it. From now on everyone allowed to see the post sees it, the post's
comment count includes it, and it is announced with `CommentCreated` as if it had just been
written (the post author and mentioned users are notified). Idempotent: releasing a
comment that is not held (or was removed meanwhile) changes nothing and announces
nothing."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnComment
from hypehere.application.feed.create_comment import comment_created
from hypehere.application.feed.ports import CommentRepository, PostRepository
from hypehere.domain.feed.errors import CommentNotFoundError
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReleaseCommentCommand(OnComment, frozen=True):
    pass


class ReleaseComment:
    def __init__(
        self,
        uow: UnitOfWork,
        comments: CommentRepository,
        posts: PostRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._comments = comments
        self._posts = posts
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: ReleaseCommentCommand) -> Changed:
        require_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            comment = await self._comments.get(cmd.comment_id)
            post = await self._posts.get(comment.post_id) if comment else None
            if comment is None or post is None:
                raise CommentNotFoundError("The comment was not found.")
            changed = not comment.is_removed and comment.release()
            if changed:
                await self._comments.save(comment)
                await self._outbox.add(comment_created(comment, post, now))
        logger.info(
            "comment_released", comment_id=comment.id, by=cmd.actor.user_id, changed=changed
        )
        return Changed(changed)
