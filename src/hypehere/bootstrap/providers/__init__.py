"""One dishka provider per module; `all_providers` is the list the container is built from."""

from __future__ import annotations

from dishka import Provider

from hypehere.bootstrap.providers.analytics import analytics_providers
from hypehere.bootstrap.providers.chat import ChatProvider
from hypehere.bootstrap.providers.feed import feed_providers
from hypehere.bootstrap.providers.infrastructure import (
    ClockProvider,
    DatabaseProvider,
    HealthProvider,
    broker_cache_providers,
)
from hypehere.bootstrap.providers.learning import LearningProvider
from hypehere.bootstrap.providers.matching import MatchingProvider
from hypehere.bootstrap.providers.moderation import ModerationProvider
from hypehere.bootstrap.providers.notifications import NotificationsProvider
from hypehere.bootstrap.providers.platform import platform_providers
from hypehere.bootstrap.providers.ranking import RankingProvider
from hypehere.bootstrap.providers.realtime import RealtimeProvider
from hypehere.bootstrap.providers.search import search_providers
from hypehere.bootstrap.providers.users import UsersProvider
from hypehere.bootstrap.settings import Settings


def all_providers(settings: Settings) -> list[Provider]:
    return [
        DatabaseProvider(),
        ClockProvider(),
        HealthProvider(),
        *broker_cache_providers(settings),
        *platform_providers(settings),
        RankingProvider(),
        *feed_providers(settings),
        UsersProvider(),
        ModerationProvider(),
        RealtimeProvider(),
        ChatProvider(),
        MatchingProvider(),
        NotificationsProvider(),
        LearningProvider(),
        *search_providers(settings),
        *analytics_providers(settings),
    ]
