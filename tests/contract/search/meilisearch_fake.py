"""A fake Meilisearch server as an httpx transport, replaying the documented HTTP API.

What it reproduces (Meilisearch v1 reference, "Tasks", "Documents", "Search", "Settings",
"Errors"):
- asynchronous writes: document additions/deletions and settings updates answer
  `202 {"taskUid", "indexUid", "status": "enqueued", "type", "enqueuedAt"}` and change
  nothing yet; `GET /tasks/{uid}` advances the queue (first `processing`, then the task
  and every earlier one are applied: `succeeded` or `failed` with an `error` object);
  a search only sees applied tasks, so a client that does not wait for its task fails;
- indexes created implicitly by the first write (or `POST /indexes`), `index_not_found`
  on a search of an unknown index;
- documents need the primary key (`missing_document_id`) with a valid id
  (`invalid_document_id`), both reported as failed tasks;
- search: `q` split into words, every word must match (`matchingStrategy: all`; `last`
  is treated like `all`), typos by the index's `typoTolerance.minWordSizeForTypos`
  (defaults 5 and 9), the last word also matches as a prefix, words in scripts written
  without spaces (CJK) match inside longer runs; `filter` as a string or a list (AND of
  items, a nested list is an OR) with `=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT IN` on
  filterable attributes only (`invalid_search_filter`; `POST .../documents/delete` with
  a `filter` deletes by filter, `invalid_document_filter`); ranked by typos, then the custom
  `attr:desc|asc` ranking rules, then insertion order; response `hits`, `query`,
  `processingTimeMs`, `limit`, `offset`, `estimatedTotalHits`;
- errors as `{"message", "code", "type", "link"}` with their status codes; with a master
  key, `401 missing_authorization_header` and `403 invalid_api_key`;
- faults on demand: `fail_next("connect" | "timeout" | "internal")`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import httpx2

_WORD = re.compile(r"\w+", re.UNICODE)
_ID = re.compile(r"^[A-Za-z0-9_-]{1,511}$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_CONDITION = re.compile(
    r"^\s*(?P<attr>[A-Za-z_][\w.]*)\s*(?:(?P<op>!=|<=|>=|=|<|>)\s*(?P<value>.+?)"
    r"|\s+(?P<neg>NOT\s+)?IN\s*\[(?P<items>.*)\])\s*$",
    re.DOTALL,
)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _error(status: int, message: str, code: str, type_: str = "invalid_request") -> httpx2.Response:
    body = {
        "message": message,
        "code": code,
        "type": type_,
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }
    return httpx2.Response(status, json=body)


class _FilterError(Exception):
    pass


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _parse_value(raw: str) -> Any:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1].replace('\\"', '"')
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        return raw


def _split_items(raw: str) -> list[Any]:
    items: list[Any] = []
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^,\s][^,]*)', raw):
        if match.group(1) is not None:
            items.append(match.group(1).replace('\\"', '"'))
        elif match.group(2) is not None:
            items.append(match.group(2))
        else:
            items.append(_parse_value(match.group(3)))
    return items


@dataclass
class FakeIndex:
    uid: str
    primary_key: str | None = None
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(
        default_factory=lambda: {
            "searchableAttributes": ["*"],
            "filterableAttributes": [],
            "sortableAttributes": [],
            "displayedAttributes": ["*"],
            "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
            "typoTolerance": {
                "enabled": True,
                "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
                "disableOnWords": [],
                "disableOnAttributes": [],
            },
        }
    )
    created_at: str = field(default_factory=_now)


@dataclass
class FakeTask:
    uid: int
    index_uid: str | None
    type: str
    apply: Any
    status: str = "enqueued"
    enqueued_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    error: dict[str, str] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "batchUid": self.uid if self.status in ("succeeded", "failed") else None,
            "indexUid": self.index_uid,
            "status": self.status,
            "type": self.type,
            "canceledBy": None,
            "details": self.details,
            "error": self.error,
            "duration": "PT0.001S" if self.finished_at else None,
            "enqueuedAt": self.enqueued_at,
            "startedAt": self.started_at,
            "finishedAt": self.finished_at,
        }

    def summary(self) -> dict[str, Any]:
        return {
            "taskUid": self.uid,
            "indexUid": self.index_uid,
            "status": "enqueued",
            "type": self.type,
            "enqueuedAt": self.enqueued_at,
        }


class _TaskFailed(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.body = {
            "message": message,
            "code": code,
            "type": "invalid_request",
            "link": f"https://docs.meilisearch.com/errors#{code}",
        }


class FakeMeilisearch:
    def __init__(self, master_key: str | None = None) -> None:
        self.master_key = master_key
        self.indexes: dict[str, FakeIndex] = {}
        self.tasks: list[FakeTask] = []
        self.requests: list[tuple[str, str]] = []
        self._faults: list[str] = []

    # --- test controls ---
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def fail_next(self, fault: str, times: int = 1) -> None:
        self._faults.extend([fault] * times)

    # --- HTTP ---
    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append((request.method, request.url.path))
        if self._faults:
            fault = self._faults.pop(0)
            if fault == "connect":
                raise httpx2.ConnectError("connection refused", request=request)
            if fault == "timeout":
                raise httpx2.ReadTimeout("timed out", request=request)
            return _error(500, "Internal error.", "internal", "internal")
        if self.master_key is not None:
            header = request.headers.get("authorization")
            if header is None:
                return _error(
                    401,
                    "The Authorization header is missing. It must use the bearer authorization"
                    " method.",
                    "missing_authorization_header",
                    "auth",
                )
            if header != f"Bearer {self.master_key}":
                return _error(403, "The provided API key is invalid.", "invalid_api_key", "auth")
        path = [unquote(part) for part in request.url.path.strip("/").split("/")]
        body: Any = json.loads(request.content) if request.content else None
        method = request.method
        if path == ["health"] and method == "GET":
            return httpx2.Response(200, json={"status": "available"})
        if path[0] == "tasks" and len(path) == 2 and method == "GET":
            return self._get_task(path[1])
        if path == ["indexes"] and method == "POST":
            return self._enqueue_index_creation(body)
        if path[0] == "indexes" and len(path) >= 2:
            return self._index_route(method, path[1], path[2:], body, request)
        return _error(404, "Resource not found.", "not_found")

    def _index_route(
        self, method: str, uid: str, rest: list[str], body: Any, request: httpx2.Request
    ) -> httpx2.Response:
        if not rest and method == "GET":
            index = self.indexes.get(uid)
            if index is None:
                return self._index_not_found(uid)
            return httpx2.Response(
                200,
                json={
                    "uid": uid,
                    "primaryKey": index.primary_key,
                    "createdAt": index.created_at,
                    "updatedAt": index.created_at,
                },
            )
        if rest == ["settings"] and method == "PATCH":
            return self._enqueue(uid, "settingsUpdate", lambda: self._apply_settings(uid, body))
        if rest == ["settings"] and method == "GET":
            index = self.indexes.get(uid)
            if index is None:
                return self._index_not_found(uid)
            return httpx2.Response(200, json=index.settings)
        if rest == ["documents"] and method == "POST":
            primary_key = request.url.params.get("primaryKey")
            docs = body if isinstance(body, list) else [body]
            return self._enqueue(
                uid,
                "documentAdditionOrUpdate",
                lambda: self._apply_documents(uid, docs, primary_key),
            )
        if rest == ["documents", "delete-batch"] and method == "POST":
            return self._enqueue(
                uid, "documentDeletion", lambda: self._apply_delete(uid, [str(i) for i in body])
            )
        if rest == ["documents", "delete"] and method == "POST":
            index = self.indexes.get(uid)
            try:
                predicate = self._filter(index or FakeIndex(uid=uid), (body or {}).get("filter"))
            except _FilterError as exc:
                return _error(400, str(exc), "invalid_document_filter")
            return self._enqueue(
                uid, "documentDeletion", lambda: self._apply_delete_where(uid, predicate)
            )
        if rest == ["documents"] and method == "DELETE":
            return self._enqueue(uid, "documentDeletion", lambda: self._apply_delete(uid, None))
        if len(rest) == 2 and rest[0] == "documents" and method == "DELETE":
            return self._enqueue(
                uid, "documentDeletion", lambda: self._apply_delete(uid, [rest[1]])
            )
        if rest == ["search"] and method == "POST":
            return self._search(uid, body or {})
        return _error(404, "Resource not found.", "not_found")

    # --- tasks ---
    def _enqueue(self, uid: str | None, type_: str, apply: Any) -> httpx2.Response:
        task = FakeTask(uid=len(self.tasks), index_uid=uid, type=type_, apply=apply)
        self.tasks.append(task)
        return httpx2.Response(202, json=task.summary())

    def _enqueue_index_creation(self, body: dict[str, Any]) -> httpx2.Response:
        uid = body.get("uid")
        if not isinstance(uid, str) or not _ID.match(uid):
            return _error(400, "`uid` is not a valid index uid.", "invalid_index_uid")

        def create() -> dict[str, Any]:
            if uid in self.indexes:
                raise _TaskFailed(f"Index `{uid}` already exists.", "index_already_exists")
            self.indexes[uid] = FakeIndex(uid=uid, primary_key=body.get("primaryKey"))
            return {"primaryKey": body.get("primaryKey")}

        return self._enqueue(uid, "indexCreation", create)

    def _get_task(self, raw_uid: str) -> httpx2.Response:
        if not raw_uid.isdigit() or int(raw_uid) >= len(self.tasks):
            return _error(404, f"Task `{raw_uid}` not found.", "task_not_found")
        task = self.tasks[int(raw_uid)]
        if task.status == "enqueued":
            task.status = "processing"
            task.started_at = _now()
        elif task.status == "processing":
            for earlier in self.tasks[: task.uid + 1]:
                if earlier.status in ("enqueued", "processing"):
                    self._process(earlier)
        return httpx2.Response(200, json=task.view())

    def _process(self, task: FakeTask) -> None:
        task.started_at = task.started_at or _now()
        try:
            task.details = task.apply() or {}
            task.status = "succeeded"
        except _TaskFailed as failure:
            task.status = "failed"
            task.error = failure.body
        task.finished_at = _now()

    def _ensure_index(self, uid: str) -> FakeIndex:
        if uid not in self.indexes:
            self.indexes[uid] = FakeIndex(uid=uid)
        return self.indexes[uid]

    def _apply_settings(self, uid: str, body: dict[str, Any]) -> dict[str, Any]:
        index = self._ensure_index(uid)
        for key, value in body.items():
            if key == "typoTolerance":
                merged = dict(index.settings["typoTolerance"])
                for sub, subvalue in value.items():
                    if sub == "minWordSizeForTypos":
                        merged[sub] = {**merged[sub], **subvalue}
                    else:
                        merged[sub] = subvalue
                index.settings[key] = merged
            else:
                index.settings[key] = value
        return body

    def _apply_documents(
        self, uid: str, docs: list[dict[str, Any]], primary_key: str | None
    ) -> dict[str, Any]:
        index = self._ensure_index(uid)
        key = index.primary_key or primary_key or "id"
        for doc in docs:
            if key not in doc:
                raise _TaskFailed(
                    f"Document doesn't have a `{key}` attribute: `{json.dumps(doc)}`.",
                    "missing_document_id",
                )
            value = doc[key]
            if not isinstance(value, (str, int)) or not _ID.match(str(value)):
                raise _TaskFailed(
                    f"Document identifier `{json.dumps(value)}` is invalid. A document"
                    " identifier can be of type integer or string, only composed of"
                    " alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_),"
                    " and can not be more than 511 bytes.",
                    "invalid_document_id",
                )
        index.primary_key = key
        for doc in docs:
            index.documents[str(doc[key])] = dict(doc)
        return {"receivedDocuments": len(docs), "indexedDocuments": len(docs)}

    def _apply_delete_where(self, uid: str, predicate: Any) -> dict[str, Any]:
        index = self._ensure_index(uid)
        doomed = [key for key, doc in index.documents.items() if predicate(doc)]
        for key in doomed:
            del index.documents[key]
        return {"deletedDocuments": len(doomed)}

    def _apply_delete(self, uid: str, ids: list[str] | None) -> dict[str, Any]:
        index = self._ensure_index(uid)
        if ids is None:
            deleted = len(index.documents)
            index.documents.clear()
            return {"deletedDocuments": deleted}
        deleted = sum(1 for i in ids if index.documents.pop(i, None) is not None)
        return {"providedIds": len(ids), "deletedDocuments": deleted}

    # --- search ---
    def _index_not_found(self, uid: str) -> httpx2.Response:
        return _error(404, f"Index `{uid}` not found.", "index_not_found")

    def _search(self, uid: str, body: dict[str, Any]) -> httpx2.Response:
        index = self.indexes.get(uid)
        if index is None:
            return self._index_not_found(uid)
        q = body.get("q") or ""
        offset = int(body.get("offset") or 0)
        limit = int(body.get("limit") if body.get("limit") is not None else 20)
        try:
            predicate = self._filter(index, body.get("filter"))
        except _FilterError as exc:
            return _error(400, str(exc), "invalid_search_filter")
        terms = [unicodedata.normalize("NFKC", w).casefold() for w in _WORD.findall(q)]
        matches: list[tuple[tuple[Any, ...], int, dict[str, Any]]] = []
        for position, doc in enumerate(index.documents.values()):
            if not predicate(doc):
                continue
            typos = self._typos(index, terms, doc) if terms else 0
            if typos is None:
                continue
            matches.append((self._rank_key(index, typos, doc), position, doc))
        matches.sort(key=lambda item: (item[0], item[1]))
        page = [self._display(index, doc, body) for _k, _p, doc in matches[offset : offset + limit]]
        return httpx2.Response(
            200,
            json={
                "hits": page,
                "query": q,
                "processingTimeMs": 0,
                "limit": limit,
                "offset": offset,
                "estimatedTotalHits": len(matches),
            },
        )

    def _rank_key(self, index: FakeIndex, typos: int, doc: dict[str, Any]) -> tuple[Any, ...]:
        key: list[Any] = [typos]
        for rule in index.settings["rankingRules"]:
            match = re.match(r"^(\w+):(asc|desc)$", rule)
            if match:
                value = doc.get(match.group(1))
                number = value if isinstance(value, (int, float)) else 0
                key.append(-number if match.group(2) == "desc" else number)
        return tuple(key)

    def _display(
        self, index: FakeIndex, doc: dict[str, Any], body: dict[str, Any]
    ) -> dict[str, Any]:
        wanted = body.get("attributesToRetrieve") or ["*"]
        displayed = index.settings["displayedAttributes"]
        return {
            k: v
            for k, v in doc.items()
            if ("*" in wanted or k in wanted) and ("*" in displayed or k in displayed)
        }

    def _typos(self, index: FakeIndex, terms: list[str], doc: dict[str, Any]) -> int | None:
        searchable = index.settings["searchableAttributes"]
        texts = [
            str(v)
            for k, v in doc.items()
            if isinstance(v, str) and ("*" in searchable or k in searchable)
        ]
        words = [
            unicodedata.normalize("NFKC", w).casefold() for t in texts for w in _WORD.findall(t)
        ]
        tolerance = index.settings["typoTolerance"]
        sizes = tolerance["minWordSizeForTypos"]
        total = 0
        for position, term in enumerate(terms):
            is_last = position == len(terms) - 1
            budget = 0
            if tolerance["enabled"]:
                budget = (
                    2
                    if len(term) >= sizes["twoTypos"]
                    else 1
                    if len(term) >= sizes["oneTypo"]
                    else 0
                )
            best: int | None = None
            for word in words:
                if word == term or (is_last and word.startswith(term)):
                    best = 0
                    break
                if _CJK.search(word) and term in word:
                    best = 0
                    break
                if budget:
                    candidates = [word] + ([word[: len(term)]] if is_last else [])
                    for candidate in candidates:
                        distance = _levenshtein(term, candidate)
                        if distance <= budget and (best is None or distance < best):
                            best = distance
            if best is None:
                return None
            total += best
        return total

    def _filter(self, index: FakeIndex, expression: Any) -> Any:
        if expression is None:
            return lambda doc: True
        if isinstance(expression, str):
            parts = re.split(r"\s+AND\s+", expression)
            predicates = [self._condition(index, part) for part in parts]
            return lambda doc: all(p(doc) for p in predicates)
        if isinstance(expression, list):
            predicates = []
            for item in expression:
                if isinstance(item, list):
                    ors = [self._condition(index, sub) for sub in item]
                    predicates.append(lambda doc, ors=ors: any(p(doc) for p in ors))
                else:
                    predicates.append(self._filter(index, item))
            return lambda doc: all(p(doc) for p in predicates)
        raise _FilterError("Invalid syntax for the filter parameter: `expected String, Array`.")

    def _condition(self, index: FakeIndex, text: str) -> Any:
        match = _CONDITION.match(text)
        if match is None:
            raise _FilterError(
                f"Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`"
                f" at `{text}`."
            )
        attr = match.group("attr")
        filterable = index.settings["filterableAttributes"]
        if attr not in filterable:
            available = ", ".join(sorted(filterable))
            raise _FilterError(
                f"Index `{index.uid}`: Attribute `{attr}` is not filterable. Available"
                f" filterable attributes are: `{available}`."
            )
        if match.group("items") is not None:
            items = _split_items(match.group("items"))
            negate = match.group("neg") is not None
            return lambda doc: (doc.get(attr) in items) != negate
        op = match.group("op")
        value = _parse_value(match.group("value"))

        def compare(doc: dict[str, Any]) -> bool:
            current = doc.get(attr)
            if op == "=":
                return current == value
            if op == "!=":
                return current != value
            if not isinstance(current, (int, float)) or not isinstance(value, (int, float)):
                return False
            return {
                "<": current < value,
                "<=": current <= value,
                ">": current > value,
                ">=": current >= value,
            }[op]

        return compare
