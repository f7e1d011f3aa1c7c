"""Visitor tracking end to end, the `analytics-rollup` job, `/analytics/daily-users`,
`/analytics/user-growth` and `/admin/dashboard`, on SQLite + memory and PostgreSQL + Redis."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

from hypehere.application.analytics.ports import VisitorCounter
from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.jobs import analytics_rollup
from tests.api.helpers import API, auth, make_staff, register


async def _users(client: Any, settings: Settings) -> tuple[str, str, str]:
    """A member, an analyst and an admin (three sign-ups, all anonymous requests from one
    IP and user agent: one anonymous visitor)."""
    _, member = await register(client)
    analyst, analyst_token = await register(client)
    admin, admin_token = await register(client)
    url = settings.effective_database_url
    await make_staff(client, analyst["id"], "analyst", database_url=url)
    await make_staff(client, admin["id"], "admin", database_url=url)
    return member, analyst_token, admin_token


async def test_visitors_and_activity_reach_the_dashboard_and_the_rollup(
    client: Any, backend_settings: Settings
) -> None:
    today = datetime.now(UTC).date().isoformat()
    member, analyst, admin = await _users(client, backend_settings)
    created = await client.post(f"{API}/posts", json={"content": "hello"}, headers=auth(member))
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    comment = await client.post(
        f"{API}/posts/{post_id}/comments", json={"content": "me too"}, headers=auth(member)
    )
    assert comment.status_code == 201, comment.text
    reported, _ = await register(client)  # a fourth sign-up
    report = await client.post(
        f"{API}/reports",
        json={"target_type": "user", "target_id": reported["id"], "reason": "spam"},
        headers=auth(member),
    )
    assert report.status_code == 201, report.text
    # Another anonymous visitor (another user agent); health checks are not counted.
    await client.get("/health/live", headers={"user-agent": "other-browser"})
    await client.post(
        f"{API}/auth/login",
        json={"email": "nobody@example.com", "password": "wrong password"},
        headers={"user-agent": "other-browser"},
    )
    await client.get("/health/live", headers={"user-agent": "third-browser"})

    board = await client.get(f"{API}/admin/dashboard", headers=auth(admin))
    assert board.status_code == 200, board.text
    now = board.json()["today"]
    # Anonymous: the sign-ups' client and "other-browser"; signed in: the member, the admin.
    assert now == {
        "date": today,
        "visitors": 4,
        "active_users": 2,
        "sign_ups": 4,
        "posts": 1,
        "comments": 1,
        "messages": 0,
        "matches": 0,
        # The activity log is fed by the outbox, which no worker delivers in this test.
        "reports_opened": 0,
        "reports_resolved": 0,
        "resolution_p50_seconds": None,
    }
    assert board.json()["open_reports"] == 1
    assert board.json()["last_14_days"] == []
    dismissed = await client.post(
        f"{API}/admin/reports/{report.json()['id']}/dismiss",
        json={"note": "not spam"},
        headers=auth(admin),
    )
    assert dismissed.status_code == 200, dismissed.text
    board = await client.get(f"{API}/admin/dashboard", headers=auth(admin))
    assert board.json()["open_reports"] == 0

    async def rollup() -> None:  # in the app's event loop (the test client's portal)
        await analytics_rollup.run(client.app.state.dishka_container, {"day": today})

    client.blocking_portal.call(rollup)
    client.blocking_portal.call(rollup)  # a rerun replaces the day

    daily = await client.get(
        f"{API}/analytics/daily-users", params={"start": today, "end": today}, headers=auth(analyst)
    )
    assert daily.status_code == 200, daily.text
    assert daily.json() == [
        {"date": today, "visitors": 4, "active_users": 2, "dau": 0, "wau": 0, "mau": 0}
    ]
    growth = await client.get(f"{API}/analytics/user-growth", headers=auth(admin))
    assert growth.status_code == 200, growth.text
    assert growth.json() == [{"date": today, "new_users": 4}]


async def test_only_analysts_and_staff_read_analytics_and_only_staff_the_dashboard(
    client: Any, backend_settings: Settings
) -> None:
    member, analyst, admin = await _users(client, backend_settings)
    for path in ("/analytics/daily-users", "/analytics/user-growth", "/admin/dashboard"):
        response = await client.get(f"{API}{path}", headers=auth(member))
        assert response.status_code == 403, (path, response.text)
        assert response.json()["code"] == "forbidden"
        assert (await client.get(f"{API}{path}")).status_code == 401
    assert (await client.get(f"{API}/admin/dashboard", headers=auth(analyst))).status_code == 403
    for token in (analyst, admin):
        growth = await client.get(f"{API}/analytics/user-growth", headers=auth(token))
        assert growth.status_code == 200, growth.text


async def test_bad_dates_and_ranges_are_422(client: Any, backend_settings: Settings) -> None:
    _, analyst, _ = await _users(client, backend_settings)
    for params in (
        {"start": "2026-02-30"},
        {"end": "tomorrow"},
        {"start": "2026-3-01"},
        {"start": "2026-03-02", "end": "2026-03-01"},
        {"start": "2024-01-01", "end": "2026-01-01"},
    ):
        response = await client.get(
            f"{API}/analytics/daily-users", params=params, headers=auth(analyst)
        )
        assert response.status_code == 422, (params, response.text)
        assert response.json()["code"] == "invalid_date_range"


async def _count_today(app: Any) -> tuple[int, int]:
    counter = await app.state.dishka_container.get(VisitorCounter)
    counted: tuple[int, int] = await counter.count(datetime.now(UTC).date())
    return counted


async def test_with_rate_limiting_on_a_valid_token_counts_as_its_user_and_a_forged_one_as_anonymous(
    backend_settings: Settings,
) -> None:
    settings = backend_settings.model_copy(update={"rate_limit_enabled": True})
    async with AsyncTestClient(app=create_app(settings)) as client:
        _, token = await register(client)  # anonymous: one visitor
        await client.get(f"{API}/users/me", headers=auth(token))  # the user
        await client.get(f"{API}/users/me", headers=auth(token + "x"))  # anonymous again
        assert client.blocking_portal.call(_count_today, client.app) == (2, 1)


async def test_visitor_tracking_can_be_turned_off(backend_settings: Settings) -> None:
    settings = backend_settings.model_copy(update={"visitor_tracking_enabled": False})
    async with AsyncTestClient(app=create_app(settings)) as client:
        _, token = await register(client)
        await client.get(f"{API}/users/me", headers=auth(token))
        assert client.blocking_portal.call(_count_today, client.app) == (0, 0)
