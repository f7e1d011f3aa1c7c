"""Notifications: what happened to me, who did it, and on what.

A notification belongs to one recipient. Likes and follows on the same target collapse
into one unread notification (a *group*) that remembers the latest few actors and how many
distinct actors there were. Texts are not stored: they are rendered in the reader's
language from kind + actors + actor_count when read or pushed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from hypehere.domain.notifications.errors import (
    UnknownNotificationChannelError,
    UnknownNotificationKindError,
)

MAX_ACTORS = 3
"""How many (most recent) actors a grouped notification shows."""

GROUP_WINDOW = timedelta(hours=24)
"""A like/follow joins an unread group whose first actor came at most this long ago."""


class NotificationKind(StrEnum):
    MESSAGE = "message"
    FOLLOW = "follow"
    POST = "post"
    COMMENT = "comment"
    LIKE = "like"
    MENTION = "mention"
    REPORT = "report"
    MODERATION = "moderation"
    CORRECTION = "correction"
    APPEAL = "appeal"

    @property
    def is_grouped(self) -> bool:
        return self in GROUPED_KINDS

    @classmethod
    def parse(cls, value: str) -> NotificationKind:
        try:
            return cls(value)
        except ValueError as exc:
            raise UnknownNotificationKindError(
                f"'{value}' is not a notification kind", field="kinds", kind=value
            ) from exc


GROUPED_KINDS = frozenset({NotificationKind.LIKE, NotificationKind.FOLLOW})


class Channel(StrEnum):
    IN_APP = "in_app"
    PUSH = "push"

    @classmethod
    def parse(cls, value: str) -> Channel:
        try:
            return cls(value)
        except ValueError as exc:
            raise UnknownNotificationChannelError(
                f"'{value}' is not a notification channel", field="channels", channel=value
            ) from exc


class TargetType(StrEnum):
    USER = "user"
    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"
    REPORT = "report"
    STRIKE = "strike"
    APPEAL = "appeal"


@dataclass(frozen=True, slots=True)
class Target:
    """What the notification is about. `parent_id` locates it: the post of a comment, the
    conversation of a message."""

    type: TargetType
    id: str
    parent_id: str | None = None

    @classmethod
    def post_or_comment(cls, post_id: str, comment_id: str | None) -> Target:
        """The comment (located by its post) when there is one, else the post."""
        if comment_id:
            return cls(TargetType.COMMENT, comment_id, parent_id=post_id)
        return cls(TargetType.POST, post_id)


def group_key(kind: NotificationKind, target: Target) -> str | None:
    """Notifications with the same key (per recipient) may be grouped; None: never."""
    if not kind.is_grouped:
        return None
    return f"{kind.value}:{target.type.value}:{target.id}"


@dataclass(slots=True)
class Notification:
    id: str
    recipient_id: str
    kind: NotificationKind
    target: Target
    actor_ids: list[str]  # most recent first, at most MAX_ACTORS
    actor_count: int
    group_key: str | None
    dedup_key: str
    created_at: datetime
    updated_at: datetime
    read_at: datetime | None = None

    @classmethod
    def new(
        cls,
        *,
        id: str,
        recipient_id: str,
        kind: NotificationKind,
        target: Target,
        actor_id: str | None,
        dedup_key: str,
        now: datetime,
    ) -> Notification:
        return cls(
            id=id,
            recipient_id=recipient_id,
            kind=kind,
            target=target,
            actor_ids=[actor_id] if actor_id else [],
            actor_count=1 if actor_id else 0,
            group_key=group_key(kind, target),
            dedup_key=dedup_key,
            created_at=now,
            updated_at=now,
        )

    @property
    def read(self) -> bool:
        return self.read_at is not None

    def accepts_into_group(self, kind: NotificationKind, target: Target, now: datetime) -> bool:
        """An unread group of the same key whose window is still open."""
        return (
            self.group_key is not None
            and self.group_key == group_key(kind, target)
            and not self.read
            and now - self.created_at <= GROUP_WINDOW
        )

    def add_actor(self, actor_id: str, now: datetime, *, is_new_actor: bool) -> None:
        """Put `actor_id` first; count it once however often it acts (re-like, redelivery)."""
        self.actor_ids = [actor_id, *[a for a in self.actor_ids if a != actor_id]][:MAX_ACTORS]
        if is_new_actor:
            self.actor_count += 1
        self.updated_at = max(self.updated_at, now)


def default_channels() -> dict[Channel, bool]:
    return {Channel.IN_APP: True, Channel.PUSH: True}


@dataclass(slots=True)
class NotificationSettings:
    """Per kind and channel on/off. A kind whose in-app channel is off is muted: no
    notification is created for it. Push delivery is stored here for the push service."""

    user_id: str
    channels: dict[NotificationKind, dict[Channel, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in NotificationKind:
            merged = default_channels()
            merged.update(self.channels.get(kind, {}))
            self.channels[kind] = merged

    def is_enabled(self, kind: NotificationKind, channel: Channel = Channel.IN_APP) -> bool:
        return self.channels[kind][channel]

    def is_muted(self, kind: NotificationKind) -> bool:
        return not self.is_enabled(kind, Channel.IN_APP)

    def set(self, kind: NotificationKind, channel: Channel, enabled: bool) -> None:
        self.channels[kind][channel] = enabled

    def as_plain(self) -> dict[str, dict[str, bool]]:
        return {
            k.value: {c.value: v for c, v in chans.items()} for k, chans in self.channels.items()
        }

    @classmethod
    def from_plain(cls, user_id: str, plain: dict[str, dict[str, bool]]) -> NotificationSettings:
        channels: dict[NotificationKind, dict[Channel, bool]] = {}
        for kind_value, chans in plain.items():
            try:
                kind = NotificationKind(kind_value)
            except ValueError:
                continue  # a kind that no longer exists
            channels[kind] = {
                Channel(c): bool(v) for c, v in chans.items() if c in Channel._value2member_map_
            }
        return cls(user_id=user_id, channels=channels)
