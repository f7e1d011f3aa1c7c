"""Broker topic names: the one place that builds them.

Scheme: `<module>.<entity>.<id>[.<stream>]`, dot-separated, lower-case, the owning
application module first:

- `chat.conversation.{conversation_id}`: a 1:1 conversation's live frames (messages, read
  receipts, typing);
- `chat.room.{room_id}`: an open room's live frames (messages, typing, joins, kicks ...);
- `notifications.user.{user_id}`: one user's notification stream (new notifications and
  unread counts);
- `matching.user.{user_id}`: one user's matching stream (queue position, matched, expired);
- `matching.conversation.{conversation_id}`: an anonymous conversation's relayed frames;
- `users.user.{user_id}.sessions`: control frames that end a user's live sockets
  (logout, password change, suspension, ban, deletion);
- `users.accounts.status`: one process-wide stream (every server process subscribes once)
  saying that some account's status changed, so each process drops its cached copy
  (`AccountStatusChanged` in `application/common/sessions.py`).

A new stream of an existing entity appends `.<stream>` (e.g. `chat.room.{id}.presence`).
Every publisher and subscriber calls these builders; nothing formats a topic by hand. The
broker adapters treat topics as opaque strings (exact-name subscriptions, no patterns; the
Redis adapter only prepends its per-deployment channel prefix).

Broker topics are not outbox topics: the outbox names event kinds (`chat.message_sent`),
not streams of one entity.
"""

from __future__ import annotations


def conversation_topic(conversation_id: str) -> str:
    return f"chat.conversation.{conversation_id}"


def room_topic(room_id: str) -> str:
    return f"chat.room.{room_id}"


def user_notifications_topic(user_id: str) -> str:
    return f"notifications.user.{user_id}"


def user_sessions_topic(user_id: str) -> str:
    """Control stream of one user's live sockets (`SessionsRevoked` in
    `application/common/sessions.py`): every process closes the matching sockets."""
    return f"users.user.{user_id}.sessions"


def matching_user_topic(user_id: str) -> str:
    return f"matching.user.{user_id}"


def anonymous_conversation_topic(conversation_id: str) -> str:
    return f"matching.conversation.{conversation_id}"


def account_status_topic() -> str:
    """Every account's status changes (`AccountStatusChanged`): one topic for all users, so
    a process's status cache needs one subscription, not one per cached user."""
    return "users.accounts.status"
