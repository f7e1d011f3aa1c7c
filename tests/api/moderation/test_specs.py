"""`/admin/specs` end to end."""

from __future__ import annotations

from typing import Any

import pytest

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, make_staff, register

pytestmark = pytest.mark.integration


async def test_specs_crud(client: Any, backend_settings: Settings) -> None:
    staff, token = await register(client)
    await make_staff(
        client, staff["id"], "moderator", database_url=backend_settings.effective_database_url
    )
    _, member = await register(client)
    created = await client.post(
        f"{API}/admin/specs",
        json={"title": "Queue order", "body": "severity x evidence", "category": "reports"},
        headers=auth(token),
    )
    assert created.status_code == 201, created.text
    spec = created.json()
    assert (spec["status"], spec["created_by"]) == ("draft", staff["id"])
    patched = await client.patch(
        f"{API}/admin/specs/{spec['id']}", json={"status": "implemented"}, headers=auth(token)
    )
    assert patched.status_code == 200 and patched.json()["status"] == "implemented"
    listed = await client.get(
        f"{API}/admin/specs", params={"status": "implemented"}, headers=auth(token)
    )
    assert [s["id"] for s in listed.json()["items"]] == [spec["id"]]
    bad = await client.patch(
        f"{API}/admin/specs/{spec['id']}", json={"status": "done"}, headers=auth(token)
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_error")
    missing = await client.patch(
        f"{API}/admin/specs/nope", json={"title": "x"}, headers=auth(token)
    )
    assert missing.status_code == 404
    assert (await client.get(f"{API}/admin/specs", headers=auth(member))).status_code == 403
