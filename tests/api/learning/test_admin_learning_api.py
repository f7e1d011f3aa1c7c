"""`/admin/learning/...` on both deployments: staff create, read, edit and delete lesson
content in the curriculum file format, checked by the curriculum rules; every change is in
the audit log; learners and search see the edits; non-staff get 403."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from hypehere.bootstrap.settings import Settings
from hypehere.domain.learning.model import content_id
from tests.api.helpers import API, auth, make_staff, register
from tests.api.search.test_search_api import drain, ids, search
from tests.fixtures.curriculum import FIXTURE_CURRICULUM

pytestmark = pytest.mark.integration

STATION = content_id("category", "fixture-station")
TICKETS = content_id("lesson", "fixture-station-tickets")


def station_document() -> dict[str, Any]:
    text = (FIXTURE_CURRICULUM / "01_station.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def invalid(response: Any) -> bool:
    """422 validation_error whose field error is `curriculum_invalid` (the house shape)."""
    body = response.json()
    return (
        response.status_code == 422
        and body["code"] == "validation_error"
        and [e["code"] for e in body["errors"]] == ["curriculum_invalid"]
    )


async def staff(client: Any, settings: Settings, role: str = "moderator") -> tuple[str, str]:
    user, token = await register(client)
    await make_staff(client, user["id"], role, database_url=settings.effective_database_url)
    return user["id"], token


async def test_non_staff_get_403(client: Any) -> None:
    _, token = await register(client)
    calls = [
        client.get(f"{API}/admin/learning/categories/{STATION}", headers=auth(token)),
        client.post(
            f"{API}/admin/learning/categories", json=station_document(), headers=auth(token)
        ),
        client.patch(f"{API}/admin/learning/lessons/{TICKETS}", json={}, headers=auth(token)),
        client.delete(f"{API}/admin/learning/lessons/{TICKETS}", headers=auth(token)),
    ]
    for call in calls:
        response = await call
        assert response.status_code == 403, response.text
    assert (await client.post(f"{API}/admin/learning/categories", json={})).status_code == 401


async def test_staff_manage_content_and_every_change_is_audited(
    client: Any, backend_settings: Settings
) -> None:
    mod_id, mod = await staff(client, backend_settings)
    document = station_document()
    created = await client.post(
        f"{API}/admin/learning/categories", json=document, headers=auth(mod)
    )
    assert created.status_code == 201, created.text
    read = await client.get(f"{API}/admin/learning/categories/{STATION}", headers=auth(mod))
    assert read.status_code == 200, read.text
    assert read.json() == created.json()
    (lesson,) = read.json()["lessons"]
    assert lesson["title"] == document["lessons"][0]["title"]
    assert [e["key"] for e in lesson["expressions"]] == [
        "fixture-station-tickets-1",
        "fixture-station-tickets-2",
    ]
    again = await client.post(f"{API}/admin/learning/categories", json=document, headers=auth(mod))
    assert (again.status_code, again.json()["code"]) == (409, "category_exists")

    # learners see it; search finds it once the outbox is drained
    _, learner = await register(
        client, native_language="en", target_languages=[{"language": "ja", "level": "A1"}]
    )
    shown = await client.get(f"{API}/learning/lessons/{TICKETS}", headers=auth(learner))
    assert shown.status_code == 200, shown.text
    await drain(client)
    assert ids(await search(client, learner, q="platform", type="lessons")) == [TICKETS]

    # edit the lesson: a new title, the platform expression gone
    edited = copy.deepcopy(lesson)
    edited["title"]["en"] = "Buying a train ticket"
    edited["expressions"] = edited["expressions"][:1]
    patched = await client.patch(
        f"{API}/admin/learning/lessons/{TICKETS}", json=edited, headers=auth(mod)
    )
    assert patched.status_code == 200, patched.text
    shown = await client.get(f"{API}/learning/lessons/{TICKETS}", headers=auth(learner))
    assert [e["key"] for e in shown.json()["expressions"]] == ["fixture-station-tickets-1"]
    await drain(client)
    assert ids(await search(client, learner, q="platform", type="lessons")) == []
    assert ids(await search(client, learner, q="train", type="lessons")) == [TICKETS]

    renamed = await client.patch(
        f"{API}/admin/learning/categories/{STATION}",
        json={"position": 7, "title": {**document["category"]["title"], "en": "Stations"}},
        headers=auth(mod),
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["category"]["position"] == 7
    assert renamed.json()["lessons"] == []  # the head only; lessons are untouched

    not_empty = await client.delete(f"{API}/admin/learning/categories/{STATION}", headers=auth(mod))
    assert (not_empty.status_code, not_empty.json()["code"]) == (409, "category_not_empty")
    gone = await client.delete(f"{API}/admin/learning/lessons/{TICKETS}", headers=auth(mod))
    assert gone.status_code == 204, gone.text
    assert (
        await client.get(f"{API}/learning/lessons/{TICKETS}", headers=auth(learner))
    ).status_code == 404
    await drain(client)
    assert ids(await search(client, learner, q="ticket", type="lessons")) == []
    deleted = await client.delete(f"{API}/admin/learning/categories/{STATION}", headers=auth(mod))
    assert deleted.status_code == 204, deleted.text
    missing = await client.get(f"{API}/admin/learning/categories/{STATION}", headers=auth(mod))
    assert missing.status_code == 404

    log = await client.get(f"{API}/admin/audit-log", params={"actor_id": mod_id}, headers=auth(mod))
    assert log.status_code == 200, log.text
    assert [(i["action"], i["target_type"], i["target_id"]) for i in log.json()["items"]] == [
        ("learning_category_delete", "category", STATION),
        ("learning_lesson_delete", "lesson", TICKETS),
        ("learning_category_update", "category", STATION),
        ("learning_lesson_update", "lesson", TICKETS),
        ("learning_category_create", "category", STATION),
    ]
    assert log.json()["items"][3]["detail"] == ("fixture-station-tickets: 1 expressions, 1 removed")


async def test_content_is_checked_like_the_curriculum_files(
    client: Any, backend_settings: Settings
) -> None:
    _, mod = await staff(client, backend_settings)
    document = station_document()
    del document["lessons"][0]["expressions"][0]["text"]["es"]
    document["lessons"][0]["expressions"][1]["key"] = "elsewhere-1"
    bad = await client.post(f"{API}/admin/learning/categories", json=document, headers=auth(mod))
    assert invalid(bad), bad.text
    assert "text lacks es" in bad.text and "must start with fixture-station-tickets-" in bad.text
    malformed = await client.post(
        f"{API}/admin/learning/categories", json={"category": "x"}, headers=auth(mod)
    )
    assert invalid(malformed), malformed.text
    assert (
        await client.get(f"{API}/admin/learning/categories/{STATION}", headers=auth(mod))
    ).status_code == 404  # nothing was written

    good = station_document()
    lesson = good["lessons"].pop()
    created = await client.post(f"{API}/admin/learning/categories", json=good, headers=auth(mod))
    assert created.status_code == 201, created.text
    added = await client.post(
        f"{API}/admin/learning/categories/{STATION}/lessons", json=lesson, headers=auth(mod)
    )
    assert added.status_code == 201, added.text
    twice = await client.post(
        f"{API}/admin/learning/categories/{STATION}/lessons", json=lesson, headers=auth(mod)
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "lesson_exists")
    rekeyed = {**lesson, "key": "fixture-station-other"}
    moved = await client.patch(
        f"{API}/admin/learning/lessons/{TICKETS}", json=rekeyed, headers=auth(mod)
    )
    assert invalid(moved), moved.text
