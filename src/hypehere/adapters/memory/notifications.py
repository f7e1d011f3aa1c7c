"""In-memory notifications storage and the users-side lookups it needs (unit tests and
contract suites; the embedded default uses SQLite)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from hypehere.application.common.views import UserCard
from hypehere.application.notifications.ports import NotificationView, TargetView
from hypehere.domain.notifications.model import MAX_ACTORS, Notification, NotificationSettings
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    page_from_rows,
)


def _sort_key(n: Notification) -> tuple[datetime, str]:
    return (n.updated_at, n.id)


class InMemoryUserDirectory:
    def __init__(self) -> None:
        self.users: dict[str, UserCard] = {}

    def put(self, summary: UserCard) -> None:
        self.users[summary.id] = summary

    async def summaries(self, user_ids: Sequence[str]) -> dict[str, UserCard]:
        return {u: self.users[u] for u in user_ids if u in self.users}


UNREACHABLE_STATES = frozenset({"banned", "deleted"})


class InMemoryAudience:
    def __init__(self) -> None:
        self.states: dict[str, str] = {}  # user id -> account state
        self.follows: set[tuple[str, str]] = set()  # (follower, followee)
        self.blocks: set[tuple[str, str]] = set()  # (blocker, blocked)

    def add_user(self, user_id: str, state: str = "active") -> None:
        self.states[user_id] = state

    async def reachable(self, user_ids: Sequence[str]) -> set[str]:
        return {
            u for u in user_ids if u in self.states and self.states[u] not in UNREACHABLE_STATES
        }

    async def follower_ids(self, user_id: str, *, after: str | None, limit: int) -> list[str]:
        ids = sorted(f for f, e in self.follows if e == user_id and (after is None or f > after))
        return ids[:limit]

    async def blocked_among(self, user_id: str, other_ids: Sequence[str]) -> set[str]:
        return {o for o in other_ids if (user_id, o) in self.blocks or (o, user_id) in self.blocks}

    async def blocked_pairs(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        return {(a, b) for a, b in pairs if (a, b) in self.blocks or (b, a) in self.blocks}


class InMemoryNotificationStore:
    """NotificationRepository and NotificationReader over dicts."""

    def __init__(self, directory: InMemoryUserDirectory | None = None) -> None:
        self.directory = directory or InMemoryUserDirectory()
        self.rows: dict[str, Notification] = {}
        # (notification_id, actor_id) -> when the actor joined the group
        self.group_members: dict[tuple[str, str], datetime] = {}

    def _store(self, notification: Notification) -> None:
        self.rows[notification.id] = copy.deepcopy(notification)
        if notification.group_key is not None:
            for actor in notification.actor_ids:
                self.group_members[(notification.id, actor)] = notification.created_at

    async def add(self, notification: Notification) -> None:
        self._store(notification)

    async def add_many(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            self._store(notification)

    async def dedup_keys_present(self, recipient_ids: Sequence[str], dedup_key: str) -> set[str]:
        wanted = set(recipient_ids)
        return {
            n.recipient_id
            for n in self.rows.values()
            if n.dedup_key == dedup_key and n.recipient_id in wanted
        }

    async def dedup_pairs_present(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        stored = {(n.recipient_id, n.dedup_key) for n in self.rows.values()}
        return {pair for pair in pairs if pair in stored}

    async def open_group(
        self, recipient_id: str, group_key: str, since: datetime
    ) -> Notification | None:
        matches = [
            n
            for n in self.rows.values()
            if n.recipient_id == recipient_id
            and n.group_key == group_key
            and n.read_at is None
            and n.created_at >= since
        ]
        if not matches:
            return None
        return copy.deepcopy(max(matches, key=lambda n: (n.created_at, n.id)))

    async def add_group_actor(self, notification_id: str, actor_id: str, now: datetime) -> bool:
        key = (notification_id, actor_id)
        if key in self.group_members:
            return False
        self.group_members[key] = now
        return True

    async def save_group(self, notification: Notification) -> None:
        stored = self.rows[notification.id]
        self.rows[notification.id] = replace(
            stored,
            actor_ids=list(notification.actor_ids),
            actor_count=notification.actor_count,
            updated_at=notification.updated_at,
        )

    async def forget_actor(self, recipient_id: str, actor_id: str) -> int:
        changed = 0
        for n in list(self.rows.values()):
            if n.recipient_id != recipient_id:
                continue
            if n.group_key is None:
                if n.actor_ids == [actor_id]:
                    del self.rows[n.id]
                    changed += 1
                continue
            if self.group_members.pop((n.id, actor_id), None) is None:
                continue
            changed += 1
            members = sorted(
                ((at, a) for (nid, a), at in self.group_members.items() if nid == n.id),
                reverse=True,
            )
            if not members:
                del self.rows[n.id]
                continue
            n.actor_ids = [a for _, a in members[:MAX_ACTORS]]
            n.actor_count = len(members)
        return changed

    async def mark_read(self, recipient_id: str, ids: Sequence[str] | None, now: datetime) -> int:
        wanted = None if ids is None else set(ids)
        changed = 0
        for n in self.rows.values():
            if n.recipient_id != recipient_id or n.read_at is not None:
                continue
            if wanted is not None and n.id not in wanted:
                continue
            n.read_at = now
            changed += 1
        return changed

    async def unread_counts(self, recipient_ids: Sequence[str]) -> dict[str, int]:
        counts = dict.fromkeys(recipient_ids, 0)
        for n in self.rows.values():
            if n.read_at is None and n.recipient_id in counts:
                counts[n.recipient_id] += 1
        return counts

    async def list_for(
        self, recipient_id: str, *, unread_only: bool, page: PageRequest
    ) -> Page[NotificationView]:
        rows = sorted(
            (
                n
                for n in self.rows.values()
                if n.recipient_id == recipient_id and not (unread_only and n.read_at is not None)
            ),
            key=_sort_key,
            reverse=True,
        )
        if page.cursor is not None:
            try:
                at = ensure_utc(datetime.fromisoformat(str(page.cursor[0])))
            except ValueError as exc:
                raise InvalidCursorError("The cursor is not valid") from exc
            after = (at, str(page.cursor[1]))
            rows = [n for n in rows if _sort_key(n) < after]
        fetched = rows[: page.limit + 1]
        actors = await self.directory.summaries([a for n in fetched for a in n.actor_ids])
        views = [
            NotificationView(
                id=n.id,
                kind=n.kind.value,
                actors=[actors[a] for a in n.actor_ids if a in actors],
                actor_count=n.actor_count,
                target=TargetView(
                    type=n.target.type.value, id=n.target.id, parent_id=n.target.parent_id
                ),
                read=n.read_at is not None,
                created_at=n.created_at,
                updated_at=n.updated_at,
            )
            for n in fetched
        ]
        return page_from_rows(views, page.limit, lambda v: (v.updated_at.isoformat(), v.id))


class InMemoryNotificationSettings:
    def __init__(self) -> None:
        self.saved: dict[str, dict[str, dict[str, bool]]] = {}

    async def get(self, user_id: str) -> NotificationSettings:
        return NotificationSettings.from_plain(user_id, self.saved.get(user_id, {}))

    async def get_many(self, user_ids: Sequence[str]) -> dict[str, NotificationSettings]:
        return {u: await self.get(u) for u in user_ids}

    async def save(self, settings: NotificationSettings, now: datetime) -> None:
        self.saved[settings.user_id] = settings.as_plain()
