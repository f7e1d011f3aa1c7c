"""Concurrent likes on one post, each in its own transaction (as several outbox workers
would run them), still collapse into one notification on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.notifications.readers import SqlNotificationAudience, SqlUserDirectory
from hypehere.adapters.sql.notifications.repositories import (
    SqlNotificationRepository,
    SqlNotificationSettings,
)
from hypehere.adapters.sql.notifications.tables import NotificationRow
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.adapters.sql.users.tables import UserRow
from hypehere.application.notifications.compose import ComposeAndPublish, NotificationComposer
from hypehere.application.notifications.notify_like import NotifyLike, NotifyLikeCommand
from hypehere.application.notifications.publish import NotificationPublisher
from hypehere.domain.shared.ids import new_id
from tests.conftest import truncate_all
from tests.unit.notifications.fakes import RecordingBroker

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIKERS = 6


@pytest.mark.parametrize("url_fixture", ["sqlite_url", "postgres_url"])
async def test_concurrent_likes_group_into_one(
    url_fixture: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(url_fixture)
    await truncate_all(url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    owner = new_id()
    likers = [new_id() for _ in range(LIKERS)]
    try:
        async with factory() as session:
            await session.execute(
                insert(UserRow.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "id": user_id,
                        "email": f"{user_id}@example.com",
                        "handle": f"u{index}",
                        "nickname": f"U{index}",
                        "bio": "",
                        "native_language": "ko",
                        "interface_language": "ko",
                        "password_hash": "x",
                        "role": "user",
                        "state": "active",
                        "show_followers_list": "everyone",
                        "show_following_list": "everyone",
                        "chat_policy": "everyone",
                        "send_read_receipts": True,
                        "created_at": T0,
                        "updated_at": T0,
                    }
                    for index, user_id in enumerate([owner, *likers])
                ],
            )
            await session.commit()

        async def like(liker: str) -> None:
            async with factory() as session:
                repository = SqlNotificationRepository(session)
                composer = NotificationComposer(
                    repository,
                    SqlNotificationSettings(session),
                    SqlNotificationAudience(session),
                    FixedClock(T0),
                )
                uow = SqlUnitOfWork(session)
                publisher = NotificationPublisher(
                    RecordingBroker(), repository, SqlUserDirectory(session), uow
                )
                run = ComposeAndPublish(uow, composer, publisher)
                await NotifyLike(run).execute(
                    NotifyLikeCommand(
                        event_id=new_id(), liker_id=liker, owner_id=owner, post_id="post-1"
                    )
                )

        await asyncio.gather(*(like(liker) for liker in likers))
        async with factory() as session:
            rows = (
                await session.execute(
                    select(NotificationRow.__table__)  # type: ignore[attr-defined]
                )
            ).all()
        assert len(rows) == 1
        assert rows[0].actor_count == LIKERS
    finally:
        await engine.dispose()
