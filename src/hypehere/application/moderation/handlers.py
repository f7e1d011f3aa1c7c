"""Events of other modules -> moderation use cases (`bootstrap/outbox_routes.py`): new
posts and comments, direct and open-room chat messages, are scanned by the classifier after
they are published (fail-open), and held posts, comments, rooms, direct and room messages
(the fail-closed tier) are checked before anyone but their author sees them.
The handler names key the idempotency ledger: never rename a deployed one."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.moderation.check_held_content import (
    CheckHeldContent,
    CheckHeldContentCommand,
)
from hypehere.application.moderation.scan_content import ScanContent, ScanContentCommand
from hypehere.domain.chat.events import (
    MessageHeld,
    MessageSent,
    RoomHeld,
    RoomMessageHeld,
    RoomMessageSent,
)
from hypehere.domain.feed.events import CommentCreated, CommentHeld, PostCreated, PostHeld

SUBSCRIPTIONS = (
    Subscription(
        "moderation.scan_post",
        PostCreated,
        ScanContent,
        lambda e: ScanContentCommand(
            content_type="post", content_id=e.post_id, language=e.language
        ),
    ),
    Subscription(
        "moderation.scan_comment",
        CommentCreated,
        ScanContent,
        lambda e: ScanContentCommand(content_type="comment", content_id=e.comment_id),
    ),
    Subscription(
        "moderation.scan_message",
        MessageSent,
        ScanContent,
        lambda e: ScanContentCommand(content_type="message", content_id=e.message_id),
    ),
    Subscription(
        "moderation.scan_room_message",
        RoomMessageSent,
        ScanContent,
        lambda e: ScanContentCommand(content_type="room_message", content_id=e.message_id),
    ),
    Subscription(
        "moderation.check_held_post",
        PostHeld,
        CheckHeldContent,
        lambda e: CheckHeldContentCommand(
            content_type="post", content_id=e.post_id, language=e.language
        ),
    ),
    Subscription(
        "moderation.check_held_comment",
        CommentHeld,
        CheckHeldContent,
        lambda e: CheckHeldContentCommand(content_type="comment", content_id=e.comment_id),
    ),
    Subscription(
        "moderation.check_held_room",
        RoomHeld,
        CheckHeldContent,
        lambda e: CheckHeldContentCommand(
            content_type="room", content_id=e.room_id, language=e.language
        ),
    ),
    Subscription(
        "moderation.check_held_message",
        MessageHeld,
        CheckHeldContent,
        lambda e: CheckHeldContentCommand(content_type="message", content_id=e.message_id),
    ),
    Subscription(
        "moderation.check_held_room_message",
        RoomMessageHeld,
        CheckHeldContent,
        lambda e: CheckHeldContentCommand(content_type="room_message", content_id=e.message_id),
    ),
)
