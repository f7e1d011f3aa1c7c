"""Moderation removes a post or a comment: everyone else sees a placeholder, staff keep
the original. Called by the staff endpoints now and by the report workflow later."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import CommentRepository, PostRepository
from hypehere.domain.feed.errors import CommentNotFoundError, PostNotFoundError, StaffOnlyError
from hypehere.domain.feed.events import CommentRemoved, PostRemoved
from hypehere.domain.feed.model import RemovalReason
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RemoveContentCommand(msgspec.Struct, frozen=True):
    actor: Actor
    target_id: str
    reason: RemovalReason = RemovalReason.REPORT


class RemoveContentResult(msgspec.Struct, frozen=True):
    changed: bool


def _ensure_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise StaffOnlyError("Only staff can do this.")


class RemovePost:
    def __init__(
        self, uow: UnitOfWork, posts: PostRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: RemoveContentCommand) -> RemoveContentResult:
        _ensure_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            post = await self._posts.get(cmd.target_id)
            if post is None:
                raise PostNotFoundError("The post was not found.")
            changed = post.remove_by_moderation(now, cmd.reason)
            if changed:
                await self._posts.save(post)
                await self._outbox.add(
                    PostRemoved(occurred_at=now, post_id=post.id, author_id=post.author_id)
                )
        logger.info("post_removed", post_id=post.id, by=cmd.actor.user_id, changed=changed)
        return RemoveContentResult(changed)


class RemoveComment:
    def __init__(
        self, uow: UnitOfWork, comments: CommentRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._comments = comments
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: RemoveContentCommand) -> RemoveContentResult:
        _ensure_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            comment = await self._comments.get(cmd.target_id)
            if comment is None:
                raise CommentNotFoundError("The comment was not found.")
            changed = comment.remove_by_moderation(now, cmd.reason)
            if changed:
                await self._comments.save(comment)
                await self._outbox.add(
                    CommentRemoved(
                        occurred_at=now,
                        comment_id=comment.id,
                        post_id=comment.post_id,
                        author_id=comment.author_id,
                    )
                )
        logger.info("comment_removed", comment_id=comment.id, by=cmd.actor.user_id)
        return RemoveContentResult(changed)
