"""Reporter and reported get `report`, `moderation` and `appeal` notifications (outbox ->
notifications), localized."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.helpers import API, auth, make_staff, registration

pytestmark = pytest.mark.integration


@pytest.fixture
def app_client(backend_settings: Settings) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=create_app(backend_settings)) as client:
        yield client


def register(client: TestClient[Litestar], **overrides: Any) -> tuple[dict[str, Any], str]:
    response = client.post(f"{API}/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    body = response.json()
    return body["user"], body["access_token"]


def staff(client: TestClient[Litestar], settings: Settings) -> str:
    user, token = register(client)
    client.blocking_portal.call(
        partial(
            make_staff,
            client,
            user["id"],
            "moderator",
            database_url=settings.effective_database_url,
        )
    )
    return token


def drain(client: TestClient[Litestar]) -> None:
    container = client.app.state.dishka_container

    async def run() -> None:
        await (await container.get(OutboxDispatcher)).drain()

    client.blocking_portal.call(run)


def notifications(client: TestClient[Litestar], token: str) -> list[dict[str, Any]]:
    response = client.get(f"{API}/notifications", headers=auth(token))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_report_strike_and_appeal_notifications(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    client = app_client
    author, author_token = register(client, interface_language="en")
    _reader, reader_token = register(client, interface_language="ja")
    mod_a, mod_b = staff(client, backend_settings), staff(client, backend_settings)
    report = client.post(
        f"{API}/reports",
        json={"target_type": "user", "target_id": author["id"], "reason": "harassment"},
        headers=auth(reader_token),
    )
    assert report.status_code == 201, report.text
    resolved = client.post(
        f"{API}/admin/reports/{report.json()['id']}/resolve",
        json={"action": "warn", "note": "rude"},
        headers=auth(mod_a),
    )
    assert resolved.status_code == 200, resolved.text
    drain(client)
    [told] = notifications(client, reader_token)
    assert (told["kind"], told["target"], told["actors"]) == (
        "report",
        {"type": "report", "id": report.json()["id"]},
        [],
    )
    assert told["text"] == "あなたの通報について更新があります。"
    [warned] = notifications(client, author_token)
    assert (warned["kind"], warned["target"]["type"]) == ("moderation", "strike")
    assert warned["text"] == (
        "You received a strike. See your strikes for the reason and to appeal."
    )
    strike_id = warned["target"]["id"]
    appealed = client.post(
        f"{API}/users/me/strikes/{strike_id}/appeal",
        json={"text": "I apologised"},
        headers=auth(author_token),
    )
    assert appealed.status_code == 201, appealed.text
    appeal_id = appealed.json()["appeal"]["id"]
    decided = client.post(
        f"{API}/admin/appeals/{appeal_id}/uphold", json={"note": "stands"}, headers=auth(mod_b)
    )
    assert decided.status_code == 200, decided.text
    drain(client)
    latest = notifications(client, author_token)[0]
    assert (latest["kind"], latest["target"], latest["text"]) == (
        "appeal",
        {"type": "appeal", "id": appeal_id},
        "There is a decision on your appeal.",
    )
    muted = client.patch(
        f"{API}/notifications/settings",
        json={"kinds": {"appeal": False}},
        headers=auth(author_token),
    )
    assert muted.status_code == 200, muted.text
