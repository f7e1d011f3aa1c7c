"""The analytics API and dashboard from real API traffic, on SQLite + memory and on
PostgreSQL + Redis: sign-ups, a post, a comment, a direct message, an anonymous match and
its end, a completed lesson and a review, a correction, a report filed and resolved; the
outbox delivered (the activity log); one `analytics-rollup` run (and a rerun: same rows);
then every `/analytics/*` read, `/admin/dashboard`, the `daily-insights` job (no API key:
the rules summary) and `/admin/insights`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.adapters.sql.analytics.readers import events
from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.jobs import analytics_rollup, daily_insights
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.helpers import API, auth, make_staff, register
from tests.api.learning.conftest import TICKETS, curriculum  # noqa: F401  (a fixture)
from tests.api.matching.test_anonymous_conversations import conversation_of
from tests.api.matching.test_matching_queue import join, settle_queue

pytestmark = pytest.mark.integration


def _call(client: Any, job: Any, payload: dict[str, Any]) -> None:
    async def run() -> None:  # in the app's event loop (the test client's portal)
        await job(client.app.state.dishka_container, payload)

    client.blocking_portal.call(run)


def _stored(client: Any, day: date) -> tuple[list[Any], ...]:
    """Every stored analytics row of the day, read without an HTTP request (a request is a
    visit)."""

    async def run() -> tuple[list[Any], ...]:
        async with client.app.state.dishka_container() as request:
            reader = await request.get(AnalyticsReader)
            return (
                await reader.daily(day, day),
                await reader.matching(day, day),
                await reader.learning(day, day),
                await reader.cohorts(day, day),
            )

    rows: tuple[list[Any], ...] = client.blocking_portal.call(run)
    return rows


def _deliver_outbox(client: Any) -> None:
    async def run() -> None:
        await (await client.app.state.dishka_container.get(OutboxDispatcher)).drain()

    client.blocking_portal.call(run)


async def _logged_events(url: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(events)) or 0)
    finally:
        await engine.dispose()


async def _traffic(client: Any, settings: Settings) -> dict[str, str]:
    """Every kind of product event once, through the HTTP API. Returns the tokens."""
    url = settings.effective_database_url
    ko, ko_token = await register(
        client,
        native_language="ko",
        target_languages=[{"language": "en", "level": "B1"}, {"language": "ja", "level": "A2"}],
    )
    en, en_token = await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "A2"}]
    )
    analyst, analyst_token = await register(client)
    admin, admin_token = await register(client)
    await make_staff(client, analyst["id"], "analyst", database_url=url)
    await make_staff(client, admin["id"], "admin", database_url=url)

    post = await client.post(
        f"{API}/posts",
        json={"content": "I goed to school yesterday.", "language": "en"},
        headers=auth(ko_token),
    )
    assert post.status_code == 201, post.text
    post_id = post.json()["id"]
    liked = await client.put(f"{API}/posts/{post_id}/like", headers=auth(en_token))
    assert liked.status_code in (200, 204), liked.text
    comment = await client.post(
        f"{API}/posts/{post_id}/comments", json={"content": "Nice!"}, headers=auth(en_token)
    )
    assert comment.status_code == 201, comment.text
    correction = await client.post(
        f"{API}/corrections",
        json={
            "target_type": "post",
            "target_id": post_id,
            "corrected_text": "I went to school yesterday.",
            "category": "grammar",
        },
        headers=auth(en_token),
    )
    assert correction.status_code == 201, correction.text

    conversation = await client.post(
        f"{API}/conversations", json={"user_id": en["id"]}, headers=auth(ko_token)
    )
    assert conversation.status_code in (200, 201), conversation.text
    message = await client.post(
        f"{API}/conversations/{conversation.json()['id']}/messages",
        json={"content": "hello there", "client_id": "c-1"},
        headers=auth(ko_token),
    )
    assert message.status_code == 201, message.text

    lesson = await client.post(
        f"{API}/learning/lessons/{TICKETS}/progress",
        json={"completed": True, "score": 90, "seconds_spent": 60, "target_language": "ja"},
        headers=auth(ko_token),
    )
    assert lesson.status_code == 200, lesson.text
    due = await client.get(f"{API}/learning/reviews/due", headers=auth(ko_token))
    card = due.json()["items"][0]
    review = await client.post(
        f"{API}/learning/reviews",
        json={"card_id": card["id"], "grade": "good"},
        headers=auth(ko_token),
    )
    assert review.status_code == 200, review.text

    await join(client, ko_token)
    await join(client, en_token)
    assert await settle_queue(client, ko_token) == 404
    anonymous = await conversation_of(url, ko["id"])
    for token in (ko_token, en_token):
        left = await client.post(
            f"{API}/anonymous-conversations/{anonymous}/leave", headers=auth(token)
        )
        assert left.status_code == 204, left.text

    report = await client.post(
        f"{API}/reports",
        json={"target_type": "user", "target_id": en["id"], "reason": "spam"},
        headers=auth(ko_token),
    )
    assert report.status_code == 201, report.text
    resolved = await client.post(
        f"{API}/admin/reports/{report.json()['id']}/resolve",
        json={"action": "none", "note": "no spam found"},
        headers=auth(admin_token),
    )
    assert resolved.status_code == 200, resolved.text
    return {"analyst": analyst_token, "admin": admin_token, "member": ko_token, "post": post_id}


async def test_analytics_and_the_dashboard_from_real_traffic_and_one_rollup(
    client: Any,
    backend_settings: Settings,
    curriculum: None,  # noqa: F811
) -> None:
    today = datetime.now(UTC).date()
    day = today.isoformat()
    tokens = await _traffic(client, backend_settings)
    _deliver_outbox(client)
    # sign-up x4, post, comment, correction, message, lesson, review, match, chat, report x2
    assert await _logged_events(backend_settings.effective_database_url) == 14
    _deliver_outbox(client)  # nothing new: redelivery logs nothing twice
    assert await _logged_events(backend_settings.effective_database_url) == 14

    analyst, admin = auth(tokens["analyst"]), auth(tokens["admin"])
    board = await client.get(f"{API}/admin/dashboard", headers=admin)
    assert board.status_code == 200, board.text
    now = board.json()["today"]
    assert {k: now[k] for k in ("sign_ups", "posts", "comments", "messages", "matches")} == {
        "sign_ups": 4,
        "posts": 1,
        "comments": 1,
        "messages": 1,
        "matches": 1,
    }
    assert (now["reports_opened"], now["reports_resolved"]) == (1, 1)
    assert now["resolution_p50_seconds"] >= 0
    assert now["visitors"] >= 1 and board.json()["open_reports"] == 0

    _call(client, analytics_rollup.run, {"day": day})
    first = _stored(client, today)
    _call(client, analytics_rollup.run, {"day": day})  # a rerun writes the same rows
    assert _stored(client, today) == first
    daily = await client.get(f"{API}/analytics/daily-users", headers=analyst)
    assert daily.status_code == 200, daily.text
    [row] = daily.json()
    assert (row["date"], row["dau"], row["wau"], row["mau"]) == (day, 4, 4, 4)

    growth = await client.get(f"{API}/analytics/user-growth", headers=analyst)
    assert growth.json() == [{"date": day, "new_users": 4}]

    matching = await client.get(f"{API}/analytics/matching", headers=analyst)
    assert matching.status_code == 200, matching.text
    [pair] = matching.json()
    assert (pair["date"], pair["language_pair"], pair["matches"]) == (day, "en-ko", 1)
    assert (pair["chats_ended"], pair["reveals"]) == (1, 0)
    assert 0 <= pair["wait_p50_seconds"] <= pair["wait_p90_seconds"]
    assert pair["duration_p50_seconds"] == pair["duration_p90_seconds"] >= 0

    learning = await client.get(f"{API}/analytics/learning", headers=analyst)
    assert learning.json() == [
        {
            "date": day,
            "language_pair": "en-en",
            "lessons_completed": 0,
            "reviews": 0,
            "corrections": 1,
        },
        {
            "date": day,
            "language_pair": "ko-ja",
            "lessons_completed": 1,
            "reviews": 1,
            "corrections": 0,
        },
    ]
    trending = await client.get(f"{API}/analytics/trending-posts", headers=analyst)
    assert trending.json() == [
        {"date": day, "rank": 1, "post_id": tokens["post"], "likes": 1, "comments": 1}
    ]
    retention = await client.get(f"{API}/analytics/retention", headers=analyst)
    assert retention.json() == [
        {"cohort": day, "size": 4, "day1": None, "day7": None, "day30": None}
    ]
    usage = await client.get(f"{API}/analytics/chat-usage", headers=analyst)
    assert usage.json() == [
        {"start": day, "messages": 1, "matches": 1, "anonymous_chats": 1, "reveals": 0}
    ]
    monday = (today - timedelta(days=today.weekday())).isoformat()
    weekly = await client.get(
        f"{API}/analytics/chat-usage", params={"granularity": "weekly"}, headers=analyst
    )
    assert [w["start"] for w in weekly.json()] == [monday]
    bad = await client.get(
        f"{API}/analytics/chat-usage", params={"granularity": "hourly"}, headers=analyst
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_granularity")

    _call(client, daily_insights.run, {"day": day})
    insights = await client.get(f"{API}/admin/insights", headers=admin)
    assert insights.status_code == 200, insights.text
    [insight] = insights.json()
    assert (insight["date"], insight["source"], insight["model"]) == (day, "rules", None)
    assert insight["summary"].startswith(f"{day}: ")
    assert "4 sign-ups" in insight["summary"]
    assert "hello there" not in insight["summary"]

    member = auth(tokens["member"])
    for path in (
        "/analytics/matching",
        "/analytics/learning",
        "/analytics/chat-usage",
        "/analytics/trending-posts",
        "/analytics/retention",
        "/admin/insights",
    ):
        assert (await client.get(f"{API}{path}", headers=member)).status_code == 403
    assert (await client.get(f"{API}/admin/insights", headers=analyst)).status_code == 403
    assert (await client.get(f"{API}/admin/insights?limit=0", headers=admin)).status_code == 422
