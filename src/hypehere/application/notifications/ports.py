"""Ports of the notifications module: its own storage, and what it needs from others.

Cross-module needs (who follows whom, who blocks whom, how to show a user) are declared
here and implemented over the users tables by read-only adapters (`adapters/sql/`), or by
in-memory fakes (`adapters/memory/`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from hypehere.application.common.views import UserCard
from hypehere.domain.notifications.model import Notification, NotificationSettings
from hypehere.domain.shared.pagination import Page, PageRequest


class TargetView(msgspec.Struct, frozen=True):
    type: str
    id: str
    parent_id: str | None = None


class NotificationView(msgspec.Struct, frozen=True):
    """A notification as listed or pushed. `actors` are the latest few, most recent first;
    the text is rendered by the entry point in the reader's language."""

    id: str
    kind: str
    actors: list[UserCard]
    actor_count: int
    target: TargetView
    read: bool
    created_at: datetime
    updated_at: datetime


class NotificationRepository(Protocol):
    async def add(self, notification: Notification) -> None:
        """Insert one notification (and, for a group, its first actor's membership)."""
        ...

    async def add_many(self, notifications: Sequence[Notification]) -> None:
        """Batch insert (fan-out); same effect as `add` for each."""
        ...

    async def dedup_keys_present(self, recipient_ids: Sequence[str], dedup_key: str) -> set[str]:
        """Which of the recipients already have a notification with this dedup key."""
        ...

    async def dedup_pairs_present(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of the (recipient_id, dedup_key) pairs that already have a notification."""
        ...

    async def open_group(
        self, recipient_id: str, group_key: str, since: datetime
    ) -> Notification | None:
        """The newest unread notification of this group created at or after `since`."""
        ...

    async def add_group_actor(self, notification_id: str, actor_id: str, now: datetime) -> bool:
        """Record that `actor_id` is in the group; False when it already was."""
        ...

    async def save_group(self, notification: Notification) -> None:
        """Persist a group's actors, actor_count and updated_at."""
        ...

    async def forget_actor(self, recipient_id: str, actor_id: str) -> int:
        """Take `actor_id` out of the recipient's notifications (after a block): their own
        notifications are deleted, groups lose them (latest actors and count recomputed;
        a group left empty is deleted). How many notifications changed."""
        ...

    async def mark_read(self, recipient_id: str, ids: Sequence[str] | None, now: datetime) -> int:
        """Mark the recipient's unread notifications read (all when `ids` is None); how many
        changed. Ids of other users' notifications are ignored."""
        ...

    async def unread_counts(self, recipient_ids: Sequence[str]) -> dict[str, int]:
        """Unread count per recipient (0 included), in one query."""
        ...


class NotificationReader(Protocol):
    async def list_for(
        self, recipient_id: str, *, unread_only: bool, page: PageRequest
    ) -> Page[NotificationView]:
        """Newest activity first (updated_at, id), one query per page, actors included."""
        ...


class NotificationSettingsRepository(Protocol):
    async def get(self, user_id: str) -> NotificationSettings:
        """The user's settings; defaults (everything on) when never saved."""
        ...

    async def get_many(self, user_ids: Sequence[str]) -> dict[str, NotificationSettings]: ...

    async def save(self, settings: NotificationSettings, now: datetime) -> None: ...


class Audience(Protocol):
    """The social graph as the notifications module sees it (read-only)."""

    async def follower_ids(self, user_id: str, *, after: str | None, limit: int) -> list[str]:
        """Followers of `user_id` ordered by id, strictly after `after` (keyset)."""
        ...

    async def blocked_among(self, user_id: str, other_ids: Sequence[str]) -> set[str]:
        """Those of `other_ids` who block `user_id` or whom `user_id` blocks."""
        ...

    async def blocked_pairs(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of the (a, b) pairs where a blocks b or b blocks a (one read for many)."""
        ...

    async def reachable(self, user_ids: Sequence[str]) -> set[str]:
        """Those of `user_ids` who exist and are not banned or deleted (a suspended or
        deactivated account still collects notifications for its return)."""
        ...


class UserDirectory(Protocol):
    async def summaries(self, user_ids: Sequence[str]) -> dict[str, UserCard]:
        """Public summaries of existing users (missing ids are left out)."""
        ...
