"""The Litestar application factory: the one place the HTTP app is assembled."""

from __future__ import annotations

import importlib.metadata
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from dishka import AsyncContainer
from dishka.integrations.litestar import DishkaRouter, setup_dishka
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ControllerRouterHandler

from hypehere.adapters.sql.feed.pools import CandidatePools
from hypehere.application.common.account_caches import AccountStatusListener
from hypehere.application.common.after_commit import wait_for_after_commit_actions
from hypehere.application.feed.ranker import Ranker
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.gc_tuning import settle_heap
from hypehere.bootstrap.logging import configure_logging
from hypehere.bootstrap.loop_watch import LoopWatch
from hypehere.bootstrap.rate_limiting import (
    rate_limit_lifespan,
    rate_limit_middlewares,
    visitor_tracking_lifespan,
    visitor_tracking_middlewares,
)
from hypehere.bootstrap.settings import Settings, load_settings
from hypehere.bootstrap.worker import EmbeddedWorker
from hypehere.domain.shared.clock import Clock
from hypehere.entrypoints.http.analytics.controller import (
    AdminDashboardController,
    AnalyticsController,
)
from hypehere.entrypoints.http.auth import AUTH_DEPENDENCIES
from hypehere.entrypoints.http.chat.controller import ConversationsController, RoomsController
from hypehere.entrypoints.http.errors import EXCEPTION_HANDLERS
from hypehere.entrypoints.http.feed.controller import (
    AdminFeedController,
    CommentsController,
    FeedController,
    PostsController,
)
from hypehere.entrypoints.http.health.controller import HealthController
from hypehere.entrypoints.http.learning.admin_controller import AdminLearningController
from hypehere.entrypoints.http.learning.controller import LearningController
from hypehere.entrypoints.http.learning.corrections_controller import CorrectionsController
from hypehere.entrypoints.http.matching.controller import (
    AnonymousConversationsController,
    MatchingController,
)
from hypehere.entrypoints.http.middleware import request_logging_middleware
from hypehere.entrypoints.http.moderation.controller import (
    AdminAuditLogController,
    AdminModerationController,
    AdminReportsController,
    ReportsController,
)
from hypehere.entrypoints.http.moderation.specs_controller import AdminSpecsController
from hypehere.entrypoints.http.moderation.strikes_controller import (
    AccountStandingController,
    AdminAppealsController,
    MyStrikesController,
)
from hypehere.entrypoints.http.notifications.controller import NotificationsController
from hypehere.entrypoints.http.openapi import install as install_openapi_document
from hypehere.entrypoints.http.openapi import repair_options_allow
from hypehere.entrypoints.http.request import HardenedRequest, reject_unsafe_parameters
from hypehere.entrypoints.http.search.controller import SearchController
from hypehere.entrypoints.http.users.admin_controller import AdminUsersController
from hypehere.entrypoints.http.users.auth_controller import AuthController
from hypehere.entrypoints.http.users.controller import UsersController
from hypehere.entrypoints.ws.anonymous_chat import anonymous_chat_socket
from hypehere.entrypoints.ws.chat import chat_socket
from hypehere.entrypoints.ws.gateway import ConnectionRegistry
from hypehere.entrypoints.ws.matching import matching_socket
from hypehere.entrypoints.ws.notifications import notifications_socket
from hypehere.entrypoints.ws.protocol import WEBSOCKETS_DESCRIPTION
from hypehere.entrypoints.ws.rooms import room_socket

log = structlog.get_logger(__name__)

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 1_048_576


def package_version() -> str:
    """The installed package's version (pyproject.toml), the document's `info.version`."""
    try:
        return importlib.metadata.version("hypehere")
    except importlib.metadata.PackageNotFoundError:  # running from a bare source tree
        return "0.0.0"


def api_handlers() -> Sequence[ControllerRouterHandler]:
    """Every `/api/v1` controller; modules add theirs here."""
    return [
        AuthController,
        UsersController,
        AdminUsersController,
        PostsController,
        CommentsController,
        FeedController,
        AdminFeedController,
        ConversationsController,
        RoomsController,
        MatchingController,
        AnonymousConversationsController,
        NotificationsController,
        SearchController,
        LearningController,
        CorrectionsController,
        ReportsController,
        AdminReportsController,
        AdminAuditLogController,
        AdminModerationController,
        MyStrikesController,
        AccountStandingController,
        AdminAppealsController,
        AdminSpecsController,
        AdminLearningController,
        AnalyticsController,
        AdminDashboardController,
    ]


def root_handlers() -> Sequence[ControllerRouterHandler]:
    """Handlers outside `/api/v1`: health and WebSockets."""
    return [
        HealthController,
        notifications_socket,
        chat_socket,
        room_socket,
        matching_socket,
        anonymous_chat_socket,
    ]


class _Metrics(PrometheusController):
    path = "/metrics"
    include_in_schema = False


async def warm_feed_pools(container: AsyncContainer) -> None:
    """Start loading the ranked feed's shared candidate pools in the background, so the
    first feed requests after a start do not all load them inline (best effort)."""
    try:
        pools = await container.get(CandidatePools)
        started = await pools.warm((await container.get(Clock)).now())
        log.info("feed_pools_warming", pools=started)
    except Exception as exc:  # a database that is not up yet: requests load pools themselves
        log.warning("feed_pools_warm_failed", error=repr(exc))


def create_app(
    settings: Settings | None = None, container: AsyncContainer | None = None
) -> Litestar:
    settings = settings or load_settings()
    configure_logging(settings.effective_log_format, settings.log_level)
    container = container or make_container(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Without Redis (or with HYPEHERE_EMBEDDED_WORKER=true) this process also runs the
        # cron schedules, queued jobs and the outbox dispatcher.
        embedded = EmbeddedWorker(container) if settings.runs_embedded_worker else None
        registry = await container.get(ConnectionRegistry)
        registry.install_signal_handlers()
        watch = LoopWatch(settings.loop_stall_ms)
        status_listener = await container.get(AccountStatusListener)
        try:
            status_listener.start()
            if embedded is not None:
                await embedded.start()
            # The ranker (lightgbm's import and the model's load, a few hundred ms of CPU)
            # is built now rather than by the first feed request, on the loop, while
            # other requests wait; and before the freeze, so its heap is never scanned.
            await container.get(Ranker)
            if settings.gc_freeze:
                settle_heap()
            await warm_feed_pools(container)
            watch.start()
            yield
        finally:
            await watch.stop()
            await status_listener.stop()
            await registry.drain()
            if embedded is not None:
                await embedded.stop()
            # Live pushes of the last committed requests (they run after the commit, in the
            # background) go out before the broker closes.
            await wait_for_after_commit_actions()
            await container.close()

    prometheus = PrometheusConfig(app_name="hypehere", prefix="hypehere", group_path=True)
    middleware: list[Any] = [
        prometheus.middleware,
        *visitor_tracking_middlewares(settings),
        *rate_limit_middlewares(settings),
    ]

    app = Litestar(
        route_handlers=[
            DishkaRouter(API_PREFIX, route_handlers=list(api_handlers())),
            DishkaRouter("/", route_handlers=list(root_handlers())),
            _Metrics,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        dependencies=AUTH_DEPENDENCIES,
        middleware=middleware,
        cors_config=CORSConfig(allow_origins=settings.cors_origins)
        if settings.cors_origins
        else None,
        openapi_config=OpenAPIConfig(
            title="HypeHere API",
            version=package_version(),
            description=WEBSOCKETS_DESCRIPTION,
            path=f"{API_PREFIX}/schema",
            render_plugins=[SwaggerRenderPlugin(path="/swagger")],
        ),
        lifespan=[
            lifespan,
            rate_limit_lifespan(settings, container),
            visitor_tracking_lifespan(settings, container),
        ],
        request_max_body_size=MAX_BODY_BYTES,
        # Bad bodies, ids and parameters are 4xx for every route (see the module).
        request_class=HardenedRequest,
        before_request=reject_unsafe_parameters,
        debug=False,
        logging_config=None,
    )
    app.state.settings = settings
    install_openapi_document(app)
    repair_options_allow(app)
    setup_dishka(container, app)
    # Wrapped around the whole ASGI app (not per route) so 404/405s are logged too.
    app.asgi_handler = request_logging_middleware(app.asgi_handler)
    return app
