"""`timezone` and `desired_retention` on `/users/me` (the learner's calendar and review goal)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import API, auth, register


async def test_defaults_then_changes(client: Any) -> None:
    me, token = await register(client)
    assert (me["timezone"], me["desired_retention"]) == ("UTC", 0.9)
    response = await client.patch(
        f"{API}/users/me",
        json={"timezone": "America/New_York", "desired_retention": 0.85},
        headers=auth(token),
    )
    assert response.status_code == 200, response.text
    assert (response.json()["timezone"], response.json()["desired_retention"]) == (
        "America/New_York",
        0.85,
    )
    again = (await client.get(f"{API}/users/me", headers=auth(token))).json()
    assert (again["timezone"], again["desired_retention"]) == ("America/New_York", 0.85)


@pytest.mark.parametrize(
    ("body", "field", "field_code"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "invalid_timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone", "invalid_timezone"),
        ({"timezone": ""}, "timezone", "invalid_timezone"),
        ({"desired_retention": 0.5}, "desired_retention", "invalid_desired_retention"),
        ({"desired_retention": 0.98}, "desired_retention", "invalid_desired_retention"),
    ],
)
async def test_invalid_values_are_422(
    client: Any, body: dict[str, Any], field: str, field_code: str
) -> None:
    _, token = await register(client)
    response = await client.patch(f"{API}/users/me", json=body, headers=auth(token))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert problem["errors"][0]["field"] == field
    assert problem["errors"][0]["code"] == field_code
    me = (await client.get(f"{API}/users/me", headers=auth(token))).json()
    assert (me["timezone"], me["desired_retention"]) == ("UTC", 0.9)
