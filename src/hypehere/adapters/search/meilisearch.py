"""Meilisearch search index (meilisearch-python-sdk, async client).

One Meilisearch index per kind (`<prefix>posts`, `<prefix>users`, `<prefix>lessons`),
primary key `id`. Settings (applied once per index and process, before the first use):
`text` searchable; `language`, `owner_id`, `created_at` filterable; `created_at` sortable;
typo tolerance on with Meilisearch's default word sizes (1 typo from 5 characters, 2 from
9, as `domain.search.rules`); ranking rules end with `created_at:desc`, so equally
relevant hits come newest first.

Every write waits for its task, so a write that returns is searchable and a failed task
raises: the outbox dispatcher then retries the event. Connection errors, timeouts, 5xx
and auth errors become StorageUnavailableError (HTTP 503)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

import httpx2
import structlog
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk._http_requests import AsyncHttpRequests
from meilisearch_python_sdk.errors import (
    MeilisearchApiError,
    MeilisearchError,
)
from meilisearch_python_sdk.index import AsyncIndex
from meilisearch_python_sdk.models.settings import (
    MeilisearchSettings,
    MinWordSizeForTypos,
    TypoTolerance,
)

from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.search import rules
from hypehere.domain.search.model import SearchDocument, SearchHits, SearchKind, SearchQuery

logger = structlog.get_logger(__name__)

RANKING_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness", "created_at:desc"]


def index_settings() -> MeilisearchSettings:
    return MeilisearchSettings(
        searchable_attributes=["text"],
        filterable_attributes=["language", "owner_id", "created_at"],
        sortable_attributes=["created_at"],
        displayed_attributes=["id", "language", "owner_id", "created_at"],
        ranking_rules=RANKING_RULES,
        typo_tolerance=TypoTolerance(
            enabled=True,
            min_word_size_for_typos=MinWordSizeForTypos(
                one_typo=rules.ONE_TYPO_MIN_LENGTH, two_typos=rules.TWO_TYPOS_MIN_LENGTH
            ),
        ),
    )


class SearchBackendError(StorageUnavailableError):
    """Meilisearch is unreachable, too slow, misconfigured or refused the operation."""


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _epoch_ms(document: SearchDocument) -> int:
    return int(document.created_at.timestamp() * 1000)


class MeilisearchSearchIndex:
    """`transport` replaces the HTTP transport (tests use a fake Meilisearch)."""

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        timeout_seconds: float = 5.0,
        index_prefix: str = "hypehere_",
        task_timeout_ms: int = 10_000,
        task_poll_interval_ms: int = 50,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = AsyncClient(url, api_key, timeout=timeout_seconds)  # type: ignore[arg-type]
        if transport is not None:
            http_client = httpx2.AsyncClient(
                base_url=url,
                timeout=timeout_seconds,
                headers=self._client._headers,
                transport=transport,
            )
            self._client.http_client = http_client
            self._client._http_requests = AsyncHttpRequests(
                http_client, json_handler=self._client.json_handler
            )
        self._prefix = index_prefix
        self._task_timeout_ms = task_timeout_ms
        self._poll_ms = task_poll_interval_ms
        self._ready: set[SearchKind] = set()
        self._ready_lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self._client.aclose()

    def index_uid(self, kind: SearchKind) -> str:
        return f"{self._prefix}{kind.value}"

    # --- plumbing ---
    async def _call(self, operation: str, coro: Any) -> Any:
        started = time.perf_counter()
        try:
            result = await coro
        except MeilisearchApiError as exc:
            logger.warning(
                "meilisearch_failed",
                operation=operation,
                status=exc.status_code,
                code=exc.code,
                error=exc.message,
            )
            raise SearchBackendError("The search service refused the request") from exc
        except (MeilisearchError, httpx2.HTTPError, OSError) as exc:
            logger.warning("meilisearch_unavailable", operation=operation, error=repr(exc))
            raise SearchBackendError("The search service is unavailable") from exc
        logger.debug(
            "meilisearch_called",
            operation=operation,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return result

    async def _wait(self, operation: str, task_uid: int) -> None:
        task = await self._call(
            f"{operation}.wait",
            self._client.wait_for_task(
                task_uid, timeout_in_ms=self._task_timeout_ms, interval_in_ms=self._poll_ms
            ),
        )
        if task.status != "succeeded":
            logger.warning(
                "meilisearch_task_failed",
                operation=operation,
                task_uid=task_uid,
                status=task.status,
                error=task.error,
            )
            raise SearchBackendError(f"The search service task {task_uid} {task.status}")

    async def _index(self, kind: SearchKind) -> AsyncIndex:
        index = self._client.index(self.index_uid(kind))
        if kind in self._ready:
            return index
        async with self._ready_lock:
            if kind not in self._ready:
                info = await self._call("update_settings", index.update_settings(index_settings()))
                await self._wait("update_settings", info.task_uid)
                self._ready.add(kind)
        return index

    # --- SearchIndex ---
    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        by_kind: dict[SearchKind, list[dict[str, Any]]] = {}
        for doc in documents:
            by_kind.setdefault(doc.kind, []).append(
                {
                    "id": doc.id,
                    "text": doc.text,
                    "language": doc.language,
                    "owner_id": doc.owner_id,
                    "created_at": _epoch_ms(doc),
                }
            )
        for kind, payload in by_kind.items():
            index = await self._index(kind)
            info = await self._call("add_documents", index.add_documents(payload, primary_key="id"))
            await self._wait("add_documents", info.task_uid)

    async def delete(self, kind: SearchKind, ids: Sequence[str]) -> None:
        if not ids:
            return
        index = await self._index(kind)
        info = await self._call("delete_documents", index.delete_documents(list(ids)))
        await self._wait("delete_documents", info.task_uid)

    async def delete_owned(self, kind: SearchKind, owner_id: str) -> None:
        index = await self._index(kind)
        info = await self._call(
            "delete_documents_by_filter",
            index.delete_documents_by_filter(f"owner_id = {_quote(owner_id)}"),
        )
        await self._wait("delete_documents_by_filter", info.task_uid)

    async def clear(self, kind: SearchKind) -> None:
        index = await self._index(kind)
        info = await self._call("delete_all_documents", index.delete_all_documents())
        await self._wait("delete_all_documents", info.task_uid)

    async def search(self, query: SearchQuery, terms: Sequence[str]) -> SearchHits:
        index = await self._index(query.kind)
        filters: list[str | list[str]] = [f"created_at <= {int(query.as_of.timestamp() * 1000)}"]
        languages = query.language_filter()
        if languages:
            listed = ", ".join(_quote(language) for language in sorted(languages))
            filters.append(f"language IN [{listed}]")
        if query.exclude_owner_ids:
            owners = ", ".join(_quote(owner) for owner in sorted(query.exclude_owner_ids))
            filters.append(f"owner_id NOT IN [{owners}]")
        result = await self._call(
            "search",
            index.search(
                " ".join(terms),
                offset=query.offset,
                limit=query.limit + 1,
                filter=filters,
                matching_strategy="all",
                attributes_to_retrieve=["id"],
            ),
        )
        ids = [str(hit["id"]) for hit in result.hits]
        return SearchHits(ids=ids[: query.limit], has_more=len(ids) > query.limit)
