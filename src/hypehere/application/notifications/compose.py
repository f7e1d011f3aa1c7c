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
        return await self.compose_many([draft])

    async def compose_many(self, drafts: Sequence[Draft]) -> list[Notification]:
        """`compose` for several drafts, with the audience, settings and dedup reads done
        once for all of them (the outbox hands over a run of events at once)."""
        recipients = await self._recipients(drafts)
        changed: list[Notification] = []
        plain: list[tuple[Draft, list[str]]] = []
        for draft, wanted in zip(drafts, recipients, strict=True):
            if not wanted:
                continue
            if draft.kind.is_grouped and draft.actor_id is not None:
                for recipient in wanted:
                    notification = await self._group(recipient, draft, draft.actor_id)
                    if notification is not None:
                        changed.append(notification)
            else:
                plain.append((draft, wanted))
        if plain:
            changed.extend(await self._create_many(plain))
        return changed

    async def _recipients(self, drafts: Sequence[Draft]) -> list[list[str]]:
        """Per draft, who gets it: not the actor, reachable, not blocked either way with the
        actor, the kind not muted."""
        candidates = [
            [r for r in dict.fromkeys(d.recipient_ids) if r != d.actor_id] for d in drafts
        ]
        everyone = list(dict.fromkeys(r for rs in candidates for r in rs))
        if not everyone:
            return [[] for _ in drafts]
        pairs = list(
            dict.fromkeys(
                (d.actor_id, r)
                for d, rs in zip(drafts, candidates, strict=True)
                if d.actor_id is not None
                for r in rs
            )
        )
        blocked = await self._audience.blocked_pairs(pairs) if pairs else set()
        reachable = await self._audience.reachable(everyone)
        settings = await self._settings.get_many(everyone)
        return [
            [
                r
                for r in rs
                if r in reachable
                and should_notify(
                    recipient_id=r,
                    actor_id=d.actor_id,
                    kind=d.kind,
                    settings=settings[r],
                    blocked_either_way=d.actor_id is not None and (d.actor_id, r) in blocked,
                )
            ]
            for d, rs in zip(drafts, candidates, strict=True)
        ]

    def _dedup_key(self, draft: Draft) -> str:
        return f"{draft.kind.value}:{draft.event_id}"

    async def _create_many(self, plan: list[tuple[Draft, list[str]]]) -> list[Notification]:
        keyed = [(draft, self._dedup_key(draft), recipients) for draft, recipients in plan]
        seen = await self._repository.dedup_pairs_present(
            [(r, key) for _, key, recipients in keyed for r in recipients]
        )
        now = self._clock.now()
        created = []
        for draft, key, recipients in keyed:
            for r in recipients:
                if (r, key) in seen:
                    continue
                seen.add((r, key))  # the same event twice in one batch: still one
                created.append(
                    Notification.new(
                        id=new_id(),
                        recipient_id=r,
                        kind=draft.kind,
                        target=draft.target,
                        actor_id=draft.actor_id,
                        dedup_key=key,
                        now=now,
                    )
                )
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
            changed.extend(await self._composer.compose_many(drafts))
            await self._publisher.publish_notifications(changed)
        if changed:
            logger.info(
                "notifications_created",
                kinds=sorted({n.kind.value for n in changed}),
                count=len(changed),
            )
        return NotifyResult(notified=len(changed))
