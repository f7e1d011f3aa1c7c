"""`POST /admin/users/{id}/role` takes the role names API.md documents ("Roles: `user`
(default), `moderator`, `admin`, `analyst`"): `user` demotes staff to the default role."""

from __future__ import annotations

from typing import Any

import pytest

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, make_staff, register

pytestmark = pytest.mark.integration


async def test_every_documented_role_name_is_accepted(
    client: Any, backend_settings: Settings
) -> None:
    admin, admin_token = await register(client)
    await make_staff(
        client, admin["id"], "admin", database_url=backend_settings.effective_database_url
    )
    target, target_token = await register(client)
    url = f"{API}/admin/users/{target['id']}/role"

    for role in ("moderator", "analyst", "admin"):
        granted = await client.post(url, headers=auth(admin_token), json={"role": role})
        assert granted.status_code == 200, granted.text
        assert granted.json()["role"] == role
    # the default role by its API.md name; an admin may demote another admin only if it
    # outranks them, so demote from moderator
    await make_staff(
        client, target["id"], "moderator", database_url=backend_settings.effective_database_url
    )
    demoted = await client.post(url, headers=auth(admin_token), json={"role": "user"})
    assert demoted.status_code == 200, demoted.text
    assert demoted.json()["role"] == "user"
    staff_only = await client.get(f"{API}/admin/reports", headers=auth(target_token))
    assert staff_only.status_code == 403
