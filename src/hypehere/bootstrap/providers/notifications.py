"""The notifications module: SQL storage and lookups, the composer/publisher and use cases.
Its outbox handlers are registered by `bootstrap/outbox_routes.py` (OutboxProvider)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.notifications.readers import (
    SqlNotificationAudience,
    SqlNotificationReader,
    SqlUserDirectory,
)
from hypehere.adapters.sql.notifications.repositories import (
    SqlNotificationRepository,
    SqlNotificationSettings,
)
from hypehere.application.common.broker import Broker
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.compose import ComposeAndPublish, NotificationComposer
from hypehere.application.notifications.forget_blocked_user import ForgetBlockedUser
from hypehere.application.notifications.get_notification_settings import GetNotificationSettings
from hypehere.application.notifications.get_unread_count import GetUnreadCount
from hypehere.application.notifications.list_notifications import ListNotifications
from hypehere.application.notifications.mark_notifications_read import MarkNotificationsRead
from hypehere.application.notifications.notify_comment import NotifyComment
from hypehere.application.notifications.notify_content_removed import NotifyContentRemoved
from hypehere.application.notifications.notify_correction_accepted import (
    NotifyCorrectionAccepted,
)
from hypehere.application.notifications.notify_follow import NotifyFollow
from hypehere.application.notifications.notify_like import NotifyLike
from hypehere.application.notifications.notify_mentions import NotifyMentions
from hypehere.application.notifications.notify_message import NotifyMessage
from hypehere.application.notifications.notify_moderation_outcomes import NotifyModerationOutcome
from hypehere.application.notifications.notify_new_post import NotifyNewPost
from hypehere.application.notifications.ports import (
    Audience,
    NotificationReader,
    NotificationRepository,
    NotificationSettingsRepository,
    UserDirectory,
)
from hypehere.application.notifications.publish import NotificationPublisher
from hypehere.application.notifications.update_notification_settings import (
    UpdateNotificationSettings,
)
from hypehere.domain.shared.clock import Clock


class NotificationsProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def repository(self, session: AsyncSession) -> NotificationRepository:
        return SqlNotificationRepository(session)

    @provide
    def reader(self, session: AsyncSession) -> NotificationReader:
        return SqlNotificationReader(session)

    @provide
    def settings(self, session: AsyncSession) -> NotificationSettingsRepository:
        return SqlNotificationSettings(session)

    @provide
    def audience(self, session: AsyncSession) -> Audience:
        return SqlNotificationAudience(session)

    @provide
    def directory(self, session: AsyncSession) -> UserDirectory:
        return SqlUserDirectory(session)

    @provide
    def composer(
        self,
        repository: NotificationRepository,
        settings: NotificationSettingsRepository,
        audience: Audience,
        clock: Clock,
    ) -> NotificationComposer:
        return NotificationComposer(repository, settings, audience, clock)

    @provide
    def publisher(
        self,
        broker: Broker,
        repository: NotificationRepository,
        directory: UserDirectory,
        uow: UnitOfWork,
    ) -> NotificationPublisher:
        return NotificationPublisher(broker, repository, directory, uow)

    @provide
    def compose_and_publish(
        self, uow: UnitOfWork, composer: NotificationComposer, publisher: NotificationPublisher
    ) -> ComposeAndPublish:
        return ComposeAndPublish(uow, composer, publisher)

    @provide
    def notify_new_post(
        self,
        uow: UnitOfWork,
        audience: Audience,
        composer: NotificationComposer,
        publisher: NotificationPublisher,
    ) -> NotifyNewPost:
        return NotifyNewPost(uow, audience, composer, publisher)

    use_cases = provide_all(
        NotifyFollow,
        NotifyLike,
        NotifyComment,
        NotifyMentions,
        NotifyMessage,
        NotifyContentRemoved,
        NotifyCorrectionAccepted,
        NotifyModerationOutcome,
        ForgetBlockedUser,
        ListNotifications,
        MarkNotificationsRead,
        GetUnreadCount,
        GetNotificationSettings,
        UpdateNotificationSettings,
    )
