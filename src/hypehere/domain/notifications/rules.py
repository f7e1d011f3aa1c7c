"""Who gets notified: the suppression rules, kept in one place."""

from __future__ import annotations

from hypehere.domain.notifications.model import NotificationKind, NotificationSettings


def should_notify(
    *,
    recipient_id: str,
    actor_id: str | None,
    kind: NotificationKind,
    settings: NotificationSettings,
    blocked_either_way: bool,
) -> bool:
    """Never to yourself, never between users who block each other (either direction),
    never for a kind the recipient muted."""
    if actor_id is not None and actor_id == recipient_id:
        return False
    if blocked_either_way:
        return False
    return not settings.is_muted(kind)
