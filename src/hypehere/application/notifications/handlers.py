"""Outbox handlers: events of other modules -> notification use cases.

Each runs in one transaction with its idempotency record (the dispatcher), and the use
cases themselves are safe under redelivery (dedup key per event, group membership per
actor), so an event is turned into notifications exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.notifications.forget_blocked_user import (
    ForgetBlockedUser,
    ForgetBlockedUserCommand,
)
from hypehere.application.notifications.notify_comment import NotifyComment, NotifyCommentCommand
from hypehere.application.notifications.notify_content_removed import (
    NotifyContentRemoved,
    NotifyContentRemovedCommand,
)
from hypehere.application.notifications.notify_follow import NotifyFollow, NotifyFollowCommand
from hypehere.application.notifications.notify_like import NotifyLike, NotifyLikeCommand
from hypehere.application.notifications.notify_mentions import (
    NotifyMentions,
    NotifyMentionsCommand,
)
from hypehere.application.notifications.notify_message import NotifyMessage, NotifyMessageCommand
from hypehere.application.notifications.notify_new_post import NotifyNewPost, NotifyNewPostCommand


def _ids(payload: dict[str, Any], field: str) -> list[str]:
    return [str(v) for v in payload.get(field) or []]


class FollowNotificationHandler:
    """`users.followed`"""

    def __init__(self, notify: NotifyFollow) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        await self._notify.execute(
            NotifyFollowCommand(
                event_id=message.id,
                follower_id=str(p["follower_id"]),
                followee_id=str(p["followee_id"]),
            )
        )


class NewPostNotificationHandler:
    """`feed.post_created`: followers of the author."""

    def __init__(self, notify: NotifyNewPost) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        await self._notify.execute(
            NotifyNewPostCommand(
                event_id=message.id,
                post_id=str(p["post_id"]),
                author_id=str(p["author_id"]),
                mentioned_user_ids=_ids(p, "mentioned_user_ids"),
            )
        )


class PostMentionNotificationHandler:
    """`feed.post_created`: users mentioned in the post."""

    def __init__(self, notify: NotifyMentions) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        mentioned = _ids(p, "mentioned_user_ids")
        if not mentioned:
            return
        await self._notify.execute(
            NotifyMentionsCommand(
                event_id=message.id,
                author_id=str(p["author_id"]),
                mentioned_user_ids=mentioned,
                post_id=str(p["post_id"]),
            )
        )


class CommentNotificationHandler:
    """`feed.comment_created`: the post's author."""

    def __init__(self, notify: NotifyComment) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        await self._notify.execute(
            NotifyCommentCommand(
                event_id=message.id,
                comment_id=str(p["comment_id"]),
                post_id=str(p["post_id"]),
                post_author_id=str(p["post_author_id"]),
                author_id=str(p["author_id"]),
            )
        )


class CommentMentionNotificationHandler:
    """`feed.comment_created`: users mentioned in the comment (the post's author already
    gets the comment notification)."""

    def __init__(self, notify: NotifyMentions) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        mentioned = _ids(p, "mentioned_user_ids")
        if not mentioned:
            return
        await self._notify.execute(
            NotifyMentionsCommand(
                event_id=message.id,
                author_id=str(p["author_id"]),
                mentioned_user_ids=mentioned,
                post_id=str(p["post_id"]),
                comment_id=str(p["comment_id"]),
                exclude_ids=[str(p["post_author_id"])],
            )
        )


class PostLikeNotificationHandler:
    """`feed.post_liked`"""

    def __init__(self, notify: NotifyLike) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        await self._notify.execute(
            NotifyLikeCommand(
                event_id=message.id,
                liker_id=str(p["user_id"]),
                owner_id=str(p["post_author_id"]),
                post_id=str(p["post_id"]),
            )
        )


class CommentLikeNotificationHandler:
    """`feed.comment_liked`"""

    def __init__(self, notify: NotifyLike) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        await self._notify.execute(
            NotifyLikeCommand(
                event_id=message.id,
                liker_id=str(p["user_id"]),
                owner_id=str(p["comment_author_id"]),
                post_id=str(p["post_id"]),
                comment_id=str(p["comment_id"]),
            )
        )


class MessageNotificationHandler:
    """`chat.message_sent` (batch-capable: a run of messages in one transaction). Message
    notifications are never grouped and carry the event in their dedup key (unique per
    recipient), so a redelivered event creates nothing: no `handled_events` record needed."""

    dedups_by_event: ClassVar[bool] = True

    def __init__(self, notify: NotifyMessage) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        await self._notify.execute(self._command(message))

    async def handle_batch(self, messages: Sequence[OutboxMessage]) -> None:
        await self._notify.execute_many([self._command(m) for m in messages])

    @staticmethod
    def _command(message: OutboxMessage) -> NotifyMessageCommand:
        p = message.payload
        return NotifyMessageCommand(
            event_id=message.id,
            message_id=str(p["message_id"]),
            conversation_id=str(p["conversation_id"]),
            sender_id=str(p["sender_id"]),
            recipient_ids=_ids(p, "recipient_ids"),
            is_request=bool(p.get("is_request", False)),
        )


class ContentRemovedNotificationHandler:
    """`feed.post_removed` and `feed.comment_removed` (moderation)."""

    def __init__(self, notify: NotifyContentRemoved) -> None:
        self._notify = notify

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        comment_id = p.get("comment_id")
        await self._notify.execute(
            NotifyContentRemovedCommand(
                event_id=message.id,
                author_id=str(p["author_id"]),
                post_id=str(p["post_id"]),
                comment_id=str(comment_id) if comment_id else None,
            )
        )


class BlockNotificationHandler:
    """`users.blocked`: the two users disappear from each other's notifications."""

    def __init__(self, forget: ForgetBlockedUser) -> None:
        self._forget = forget

    async def handle(self, message: OutboxMessage) -> None:
        p = message.payload
        await self._forget.execute(
            ForgetBlockedUserCommand(
                blocker_id=str(p["blocker_id"]), blocked_id=str(p["blocked_id"])
            )
        )
