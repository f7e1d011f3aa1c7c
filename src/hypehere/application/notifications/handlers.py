"""Events of other modules -> notification use cases: one row per outbox handler.

Each row reads its event as the producer's domain event class (`domain/<module>/events.py`,
see `application/common/subscriptions.py` for why the payload types live there) and maps
it to the command of one `notify_*` use case. Each runs in one transaction with its
idempotency record (the dispatcher), and the use cases themselves are safe under
redelivery (dedup key per event, group membership per actor), so an event is turned into
notifications exactly once. The handler names key the idempotency ledger: never rename a
deployed one."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.notifications.forget_blocked_user import (
    ForgetBlockedUser,
    ForgetBlockedUserCommand,
)
from hypehere.application.notifications.notify_comment import NotifyComment, NotifyCommentCommand
from hypehere.application.notifications.notify_content_removed import (
    NotifyContentRemoved,
    NotifyContentRemovedCommand,
)
from hypehere.application.notifications.notify_correction_accepted import (
    NotifyCorrectionAccepted,
    NotifyCorrectionAcceptedCommand,
)
from hypehere.application.notifications.notify_follow import NotifyFollow, NotifyFollowCommand
from hypehere.application.notifications.notify_like import NotifyLike, NotifyLikeCommand
from hypehere.application.notifications.notify_mentions import (
    NotifyMentions,
    NotifyMentionsCommand,
)
from hypehere.application.notifications.notify_message import NotifyMessage, NotifyMessageCommand
from hypehere.application.notifications.notify_moderation_outcomes import (
    NotifyModerationOutcome,
    NotifyModerationOutcomeCommand,
)
from hypehere.application.notifications.notify_new_post import NotifyNewPost, NotifyNewPostCommand
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.feed.events import (
    CommentCreated,
    CommentLiked,
    CommentRemoved,
    PostCreated,
    PostLiked,
    PostRemoved,
)
from hypehere.domain.learning.events import CorrectionAccepted
from hypehere.domain.moderation.events import AppealDecided, ReportDecided, StrikeIssued
from hypehere.domain.users.events import UserBlocked, UserFollowed

# Content whose removal by moderation has no removal event of its own (its strike tells).
CHAT_CONTENT = frozenset({"message", "room_message"})

# Not annotated: mypy then checks each row's mapper against its event and use case.
SUBSCRIPTIONS = (
    # The corrector, when the author accepts their correction.
    Subscription(
        "notifications.correction_accepted",
        CorrectionAccepted,
        NotifyCorrectionAccepted,
        lambda e: NotifyCorrectionAcceptedCommand(
            event_id=e.event_id,
            corrector_id=e.corrector_id,
            author_id=e.author_id,
            target_type=e.target_type,
            target_id=e.target_id,
        ),
    ),
    Subscription(
        "notifications.follow",
        UserFollowed,
        NotifyFollow,
        lambda e: NotifyFollowCommand(
            event_id=e.event_id, follower_id=e.follower_id, followee_id=e.followee_id
        ),
    ),
    # The author's followers.
    Subscription(
        "notifications.new_post",
        PostCreated,
        NotifyNewPost,
        lambda e: NotifyNewPostCommand(
            event_id=e.event_id,
            post_id=e.post_id,
            author_id=e.author_id,
            mentioned_user_ids=list(e.mentioned_user_ids),
        ),
    ),
    # The users mentioned in the post.
    Subscription(
        "notifications.post_mentions",
        PostCreated,
        NotifyMentions,
        lambda e: (
            NotifyMentionsCommand(
                event_id=e.event_id,
                author_id=e.author_id,
                mentioned_user_ids=list(e.mentioned_user_ids),
                post_id=e.post_id,
            )
            if e.mentioned_user_ids
            else None
        ),
    ),
    # The post's author.
    Subscription(
        "notifications.comment",
        CommentCreated,
        NotifyComment,
        lambda e: NotifyCommentCommand(
            event_id=e.event_id,
            comment_id=e.comment_id,
            post_id=e.post_id,
            post_author_id=e.post_author_id,
            author_id=e.author_id,
        ),
    ),
    # The users mentioned in the comment (the post's author already gets the comment).
    Subscription(
        "notifications.comment_mentions",
        CommentCreated,
        NotifyMentions,
        lambda e: (
            NotifyMentionsCommand(
                event_id=e.event_id,
                author_id=e.author_id,
                mentioned_user_ids=list(e.mentioned_user_ids),
                post_id=e.post_id,
                comment_id=e.comment_id,
                exclude_ids=[e.post_author_id],
            )
            if e.mentioned_user_ids
            else None
        ),
    ),
    Subscription(
        "notifications.post_like",
        PostLiked,
        NotifyLike,
        lambda e: NotifyLikeCommand(
            event_id=e.event_id, liker_id=e.user_id, owner_id=e.post_author_id, post_id=e.post_id
        ),
    ),
    Subscription(
        "notifications.comment_like",
        CommentLiked,
        NotifyLike,
        lambda e: NotifyLikeCommand(
            event_id=e.event_id,
            liker_id=e.user_id,
            owner_id=e.comment_author_id,
            post_id=e.post_id,
            comment_id=e.comment_id,
        ),
    ),
    # A run of messages in one transaction. Message notifications are never grouped and
    # carry the event in their dedup key (unique per recipient), so a redelivered event
    # creates nothing: no `handled_events` record needed.
    Subscription(
        "notifications.message",
        MessageSent,
        NotifyMessage,
        lambda e: NotifyMessageCommand(
            event_id=e.event_id,
            message_id=e.message_id,
            conversation_id=e.conversation_id,
            sender_id=e.sender_id,
            recipient_ids=list(e.recipient_ids),
            is_request=e.is_request,
        ),
        batch=True,
        dedups_by_event=True,
    ),
    # Moderation: the author of the removed content.
    Subscription(
        "notifications.post_removed",
        PostRemoved,
        NotifyContentRemoved,
        lambda e: NotifyContentRemovedCommand(
            event_id=e.event_id, author_id=e.author_id, post_id=e.post_id
        ),
    ),
    Subscription(
        "notifications.comment_removed",
        CommentRemoved,
        NotifyContentRemoved,
        lambda e: NotifyContentRemovedCommand(
            event_id=e.event_id, author_id=e.author_id, post_id=e.post_id, comment_id=e.comment_id
        ),
    ),
    # The two users disappear from each other's notifications.
    Subscription(
        "notifications.forget_blocked",
        UserBlocked,
        ForgetBlockedUser,
        lambda e: ForgetBlockedUserCommand(blocker_id=e.blocker_id, blocked_id=e.blocked_id),
    ),
    # The reporter: their report was resolved or dismissed.
    Subscription(
        "notifications.report_decided",
        ReportDecided,
        NotifyModerationOutcome,
        lambda e: NotifyModerationOutcomeCommand(
            event_id=e.event_id,
            kind="report",
            recipient_id=e.reporter_id,
            target_type="report",
            target_id=e.report_id,
        ),
    ),
    # The user who got a strike (a post's or comment's removal is told by the feed's
    # removal events; a chat message's, which has none, by its strike).
    Subscription(
        "notifications.strike_issued",
        StrikeIssued,
        NotifyModerationOutcome,
        lambda e: (
            NotifyModerationOutcomeCommand(
                event_id=e.event_id,
                kind="moderation",
                recipient_id=e.user_id,
                target_type="strike",
                target_id=e.strike_id,
            )
            if e.action != "content_removed" or e.content_type in CHAT_CONTENT
            else None
        ),
    ),
    # The appellant: their appeal was upheld or overturned.
    Subscription(
        "notifications.appeal_decided",
        AppealDecided,
        NotifyModerationOutcome,
        lambda e: NotifyModerationOutcomeCommand(
            event_id=e.event_id,
            kind="appeal",
            recipient_id=e.user_id,
            target_type="appeal",
            target_id=e.appeal_id,
        ),
    ),
)
