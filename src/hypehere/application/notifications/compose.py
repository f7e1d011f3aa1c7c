"""Turning one event into notifications: suppression, grouping, dedup, batch insert.

Shared by the create-from-event use cases; each calls `compose` inside its unit of work and
publishes the returned notifications after the commit."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.ports import (
    Audience,
    NotificationRepository,
    NotificationSettingsRepository,
)
from hypehere.application.notifications.publish import NotificationPublisher
from hypehere.domain.notifications.model import (
    GROUP_WINDOW,
    Notification,
    NotificationKind,
    Target,
    group_key,
)
from hypehere.domain.notifications.rules import should_notify
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)


class Draft(msgspec.Struct, frozen=True):
    """One event's notification for some recipients. `event_id` makes creation idempotent:
    the same event never creates a second notification for the same recipient."""

    kind: NotificationKind
    actor_id: str | None
    target: Target
    recipient_ids: Sequence[str]
    event_id: str


class NotificationComposer:
    def __init__(
        self,
        repository: NotificationRepository,
        settings: NotificationSettingsRepository,
        audience: Audience,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._settings = settings
        self._audience = audience
        self._clock = clock

    async def compose(self, draft: Draft) -> list[Notification]:
        """Create or extend notifications; returns those that are new or changed."""
        candidates = [r for r in dict.fromkeys(draft.recipient_ids) if r != draft.actor_id]
        if not candidates:
            return []
        blocked = (
            await self._audience.blocked_among(draft.actor_id, candidates)
            if draft.actor_id
            else set()
        )
        reachable = await self._audience.reachable(candidates)
        settings = await self._settings.get_many(candidates)
        recipients = [
            r
            for r in candidates
            if r in reachable
            and should_notify(
                recipient_id=r,
                actor_id=draft.actor_id,
                kind=draft.kind,
                settings=settings[r],
                blocked_either_way=r in blocked,
            )
        ]
        if not recipients:
            return []
        if draft.kind.is_grouped and draft.actor_id is not None:
            changed = []
            for recipient in recipients:
                notification = await self._group(recipient, draft, draft.actor_id)
                if notification is not None:
                    changed.append(notification)
            return changed
        return await self._create_many(recipients, draft)

    def _dedup_key(self, draft: Draft) -> str:
        return f"{draft.kind.value}:{draft.event_id}"

    async def _create_many(self, recipients: list[str], draft: Draft) -> list[Notification]:
        dedup_key = self._dedup_key(draft)
        seen = await self._repository.dedup_keys_present(recipients, dedup_key)
        now = self._clock.now()
        created = [
            Notification.new(
                id=new_id(),
                recipient_id=r,
                kind=draft.kind,
                target=draft.target,
                actor_id=draft.actor_id,
                dedup_key=dedup_key,
                now=now,
            )
            for r in recipients
            if r not in seen
        ]
        if created:
            await self._repository.add_many(created)
        return created

    async def _group(self, recipient: str, draft: Draft, actor_id: str) -> Notification | None:
        now = self._clock.now()
        key = group_key(draft.kind, draft.target)
        assert key is not None
        group = await self._repository.open_group(recipient, key, now - GROUP_WINDOW)
        if group is not None and group.accepts_into_group(draft.kind, draft.target, now):
            is_new = await self._repository.add_group_actor(group.id, actor_id, now)
            if not is_new:
                # Already in the group: a redelivery or the same user acting again.
                return None
            group.add_actor(actor_id, now, is_new_actor=True)
            await self._repository.save_group(group)
            logger.debug("notification_grouped", notification_id=group.id, kind=draft.kind)
            return group
        dedup_key = self._dedup_key(draft)
        if await self._repository.dedup_keys_present([recipient], dedup_key):
            return None
        notification = Notification.new(
            id=new_id(),
            recipient_id=recipient,
            kind=draft.kind,
            target=draft.target,
            actor_id=actor_id,
            dedup_key=dedup_key,
            now=now,
        )
        await self._repository.add(notification)
        return notification


class NotifyResult(msgspec.Struct, frozen=True):
    """How many notifications were created or extended (grouped)."""

    notified: int


class ComposeAndPublish:
    """The shared shape of the create-from-event use cases: compose every draft in one
    transaction; the changes are pushed live once it has committed."""

    def __init__(
        self, uow: UnitOfWork, composer: NotificationComposer, publisher: NotificationPublisher
    ) -> None:
        self._uow = uow
        self._composer = composer
        self._publisher = publisher

    async def run(self, drafts: Sequence[Draft]) -> NotifyResult:
        changed: list[Notification] = []
        async with self._uow:
            for draft in drafts:
                changed.extend(await self._composer.compose(draft))
            await self._publisher.publish_notifications(changed)
        if changed:
            logger.info(
                "notifications_created",
                kinds=sorted({n.kind.value for n in changed}),
                count=len(changed),
            )
        return NotifyResult(notified=len(changed))
