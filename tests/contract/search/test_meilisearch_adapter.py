"""Meilisearch adapter behaviour beyond the shared contract: settings, tasks, errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hypehere.adapters.search.meilisearch import MeilisearchSearchIndex, SearchBackendError
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.search.model import SearchDocument, SearchKind, SearchQuery
from tests.contract.search.meilisearch_fake import FakeMeilisearch
from tests.contract.search.test_search_index_contract import meili_adapter, post

AS_OF = datetime(2030, 1, 1, tzinfo=UTC)


def query(text: str) -> SearchQuery:
    return SearchQuery(kind=SearchKind.POSTS, text=text, language=None, as_of=AS_OF)


async def test_index_settings_are_applied_before_first_use() -> None:
    fake = FakeMeilisearch(master_key="master")
    adapter = meili_adapter(fake)
    assert (await adapter.search(query("anything"), ["anything"])).ids == []
    settings = fake.indexes["hypehere_posts"].settings
    assert settings["searchableAttributes"] == ["text"]
    assert set(settings["filterableAttributes"]) == {"language", "owner_id", "created_at"}
    assert settings["sortableAttributes"] == ["created_at"]
    assert settings["typoTolerance"]["enabled"] is True
    assert settings["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    assert settings["rankingRules"][-1] == "created_at:desc"
    await adapter.aclose()


async def test_writes_wait_for_their_task() -> None:
    fake = FakeMeilisearch(master_key="master")
    adapter = meili_adapter(fake)
    doc = post("waiting for tasks")
    await adapter.upsert([doc])
    statuses = {task.type: task.status for task in fake.tasks}
    assert statuses == {"settingsUpdate": "succeeded", "documentAdditionOrUpdate": "succeeded"}
    polls = [path for method, path in fake.requests if path.startswith("/tasks/")]
    assert len(polls) >= 4  # enqueued -> processing -> succeeded, for both tasks
    assert fake.indexes["hypehere_posts"].documents[doc.id]["text"] == "waiting for tasks"
    await adapter.aclose()


async def test_a_failed_task_raises() -> None:
    fake = FakeMeilisearch(master_key="master")
    adapter = meili_adapter(fake)
    bad = SearchDocument(
        kind=SearchKind.POSTS,
        id="not a valid id!",
        text="x",
        language=None,
        owner_id=None,
        created_at=AS_OF,
    )
    with pytest.raises(SearchBackendError):
        await adapter.upsert([bad])
    failed = [task for task in fake.tasks if task.status == "failed"]
    assert failed and failed[0].error is not None
    assert failed[0].error["code"] == "invalid_document_id"
    await adapter.aclose()


@pytest.mark.parametrize("fault", ["connect", "timeout", "internal"])
async def test_unavailable_service_is_a_storage_error(fault: str) -> None:
    fake = FakeMeilisearch(master_key="master")
    adapter = meili_adapter(fake)
    await adapter.upsert([post("warm up")])
    fake.fail_next(fault)
    with pytest.raises(StorageUnavailableError):
        await adapter.search(query("warm"), ["warm"])
    fake.fail_next(fault)
    with pytest.raises(StorageUnavailableError):
        await adapter.upsert([post("another")])
    assert (await adapter.search(query("warm"), ["warm"])).ids  # recovers afterwards
    await adapter.aclose()


@pytest.mark.parametrize("api_key", [None, "wrong"])
async def test_bad_credentials_are_a_storage_error(api_key: str | None) -> None:
    adapter = meili_adapter(FakeMeilisearch(master_key="master"), api_key=api_key)
    with pytest.raises(StorageUnavailableError):
        await adapter.search(query("anything"), ["anything"])
    await adapter.aclose()


async def test_fake_reports_documented_errors() -> None:
    """The fake itself answers like Meilisearch: error objects and status codes."""
    import httpx2

    fake = FakeMeilisearch()
    async with httpx2.AsyncClient(
        base_url="http://meili.test", transport=fake.transport()
    ) as client:
        missing = await client.post("/indexes/nope/search", json={"q": "x"})
        assert missing.status_code == 404
        assert missing.json()["code"] == "index_not_found"
        assert set(missing.json()) == {"message", "code", "type", "link"}
        task = await client.get("/tasks/42")
        assert (task.status_code, task.json()["code"]) == (404, "task_not_found")
        enqueued = await client.post("/indexes/movies/documents", json=[{"id": 1, "t": "a"}])
        assert enqueued.status_code == 202
        assert enqueued.json()["status"] == "enqueued"
        uid = enqueued.json()["taskUid"]
        assert (await client.get(f"/tasks/{uid}")).json()["status"] == "processing"
        assert (await client.get(f"/tasks/{uid}")).json()["status"] == "succeeded"
        bad_filter = await client.post("/indexes/movies/search", json={"q": "a", "filter": "t = a"})
        assert (bad_filter.status_code, bad_filter.json()["code"]) == (
            400,
            "invalid_search_filter",
        )


def test_adapter_builds_without_a_server() -> None:
    adapter = MeilisearchSearchIndex("http://127.0.0.1:1", None)
    assert adapter.index_uid(SearchKind.USERS) == "hypehere_users"
