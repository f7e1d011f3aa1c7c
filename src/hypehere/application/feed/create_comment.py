"""Comment on a post (1-1,000 characters); mentions resolved, engagement logged.

The fail-closed moderation tier: a new account's first comments (`CommentHoldPolicy`) are
stored held, seen by their author only and not counted, and announced as `CommentHeld`
(the moderation module checks them and releases them with `ReleaseComment`, which
announces `CommentCreated` then: the post author and mentioned users are notified); every
other comment is announced as `CommentCreated` at once."""

from __future__ import annotations

from datetime import datetime

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.access import OnPost, visible_post
from hypehere.application.feed.holding import held_at_creation
from hypehere.application.feed.mentions import resolve_mentions
from hypehere.application.feed.ports import (
    CommentReader,
    CommentRepository,
    Engagement,
    FeedAudience,
    FeedLog,
    PostRepository,
)
from hypehere.application.feed.views import CommentView
from hypehere.domain.feed.errors import CommentNotFoundError
from hypehere.domain.feed.events import CommentCreated, CommentHeld
from hypehere.domain.feed.model import Comment, Post, clean_comment_content
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.holding import CommentHoldPolicy


class CreateCommentCommand(OnPost, frozen=True):
    content: str


class CreateComment:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        comments: CommentRepository,
        reader: CommentReader,
        audience: FeedAudience,
        log: FeedLog,
        outbox: OutboxWriter,
        clock: Clock,
        hold_policy: CommentHoldPolicy,
    ) -> None:
        self._hold_policy = hold_policy
        self._uow = uow
        self._posts = posts
        self._comments = comments
        self._reader = reader
        self._audience = audience
        self._log = log
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: CreateCommentCommand) -> CommentView:
        text = clean_comment_content(cmd.content)
        now = self._clock.now()
        user_id = cmd.actor.user_id
        async with self._uow:
            post = await visible_post(self._posts, self._audience, user_id, cmd.post_id)
            mentions = await resolve_mentions(self._audience, text)
            comment = Comment.write(
                post=post, author_id=user_id, content=text, mentions=mentions, now=now
            )
            comment.held = await held_at_creation(
                self._hold_policy, self._audience, user_id, now, comments=True
            )
            await self._comments.add(comment)
            await self._log.record_engagement(
                Engagement(user_id, post.id, post.author_id, "comment", now)
            )
            if comment.held:
                await self._outbox.add(
                    CommentHeld(occurred_at=now, comment_id=comment.id, author_id=user_id)
                )
            else:
                await self._outbox.add(comment_created(comment, post, now))
        view = await self._reader.get(user_id, comment.id, staff=cmd.actor.is_staff)
        if view is None:
            raise CommentNotFoundError("The comment was not found.")
        return view


def comment_created(comment: Comment, post: Post, now: datetime) -> CommentCreated:
    """The announcement of a published comment (at creation, or when a held one is
    released)."""
    return CommentCreated(
        occurred_at=now,
        comment_id=comment.id,
        post_id=post.id,
        post_author_id=post.author_id,
        author_id=comment.author_id,
        mentioned_user_ids=comment.mentioned_user_ids,
    )
