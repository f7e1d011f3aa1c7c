"""Moderation removes a comment: everyone else sees a placeholder, staff keep the original.
Called by the staff endpoint now and by the report workflow later."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnComment
from hypehere.application.feed.ports import CommentRepository
from hypehere.domain.feed.errors import CommentNotFoundError
from hypehere.domain.feed.events import CommentRemoved
from hypehere.domain.feed.model import RemovalReason
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RemoveCommentCommand(OnComment, frozen=True):
    reason: RemovalReason = RemovalReason.REPORT


class RemoveComment:
    def __init__(
        self, uow: UnitOfWork, comments: CommentRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._comments = comments
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: RemoveCommentCommand) -> Changed:
        require_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            comment = await self._comments.get(cmd.comment_id)
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
        return Changed(changed)
