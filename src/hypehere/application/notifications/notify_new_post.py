"""`feed.post_created` -> a post notification for each follower of the author.

Fan-out reads followers in keyset pages and inserts each page in one batch, all in one
transaction (so a crash redelivers the whole event and the dedup key keeps it exactly
once). Followers who are mentioned get the mention instead. Beyond `max_recipients`
followers the fan-out stops (logged): very large accounts need a pull model instead."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.compose import Draft, NotificationComposer, NotifyResult
from hypehere.application.notifications.ports import Audience
from hypehere.application.notifications.publish import NotificationPublisher
from hypehere.domain.notifications.model import Notification, NotificationKind, Target, TargetType

logger = structlog.get_logger(__name__)

FANOUT_BATCH = 500
MAX_FANOUT = 20_000


class NotifyNewPostCommand(msgspec.Struct, frozen=True):
    event_id: str
    post_id: str
    author_id: str
    mentioned_user_ids: list[str] = []


class NotifyNewPost:
    def __init__(
        self,
        uow: UnitOfWork,
        audience: Audience,
        composer: NotificationComposer,
        publisher: NotificationPublisher,
        *,
        batch_size: int = FANOUT_BATCH,
        max_recipients: int = MAX_FANOUT,
    ) -> None:
        self._uow = uow
        self._audience = audience
        self._composer = composer
        self._publisher = publisher
        self._batch_size = batch_size
        self._max_recipients = max_recipients

    async def execute(self, cmd: NotifyNewPostCommand) -> NotifyResult:
        mentioned = set(cmd.mentioned_user_ids)
        changed: list[Notification] = []
        seen = 0
        after: str | None = None
        async with self._uow:
            while seen < self._max_recipients:
                limit = min(self._batch_size, self._max_recipients - seen)
                followers = await self._audience.follower_ids(
                    cmd.author_id, after=after, limit=limit
                )
                if not followers:
                    break
                seen += len(followers)
                after = followers[-1]
                changed.extend(
                    await self._composer.compose(
                        Draft(
                            kind=NotificationKind.POST,
                            actor_id=cmd.author_id,
                            target=Target(TargetType.POST, cmd.post_id),
                            recipient_ids=[f for f in followers if f not in mentioned],
                            event_id=cmd.event_id,
                        )
                    )
                )
                if len(followers) < limit:
                    break
            else:
                logger.warning(
                    "post_fanout_capped", post_id=cmd.post_id, max_recipients=self._max_recipients
                )
            await self._publisher.publish_notifications(changed)
        logger.info("post_fanout_done", post_id=cmd.post_id, followers=seen, notified=len(changed))
        return NotifyResult(notified=len(changed))
