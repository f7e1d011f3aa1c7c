"""Schemathesis with all its checks over every operation of the app's own OpenAPI document,
in process, on SQLite and on PostgreSQL + Redis: zero failures.

Each backend gets one app (module scope) with a signed-in admin and real rows for the path
parameters (the hostile table's `build_world`), so the authorized code paths are reached.
Requests go through Litestar's test client (the app's own event loop and lifespan) and each
response is judged by `case.validate_response` with every check schemathesis has.

Examples are bounded per operation (`MAX_EXAMPLES`, plus schemathesis's coverage cases).

Deterministic (`derandomize`, no example database): the same cases every run. Where a
check cannot hold for one operation, `EXCLUDED` switches off that check for that operation
only, with the reason (a rule JSON Schema cannot express).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import requests.adapters
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.internal import lambda_sources
from litestar.testing import TestClient
from requests.structures import CaseInsensitiveDict
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.specs.openapi.coverage import _schema as coverage_schema
from urllib3 import HTTPHeaderDict, HTTPResponse

from hypehere.bootstrap.app import create_app
from tests.api.helpers import API, auth
from tests.api.hostile.test_hostile_table import World, build_world
from tests.api.learning.conftest import FIXTURE_CURRICULUM, load_curriculum, load_curriculum_into
from tests.conftest import _run, flush_redis, test_settings, truncate_all

pytestmark = [pytest.mark.integration]

MAX_EXAMPLES = 6


def _parse_coverage_lambdas_now() -> None:
    """Hypothesis describes a filter lambda by parsing its module's source; for schemathesis's
    coverage module it does so deep in the stack, where CPython 3.11.7's AST validator raises
    `SystemError: AST constructor recursion depth mismatch`. Parsed here, at import, the
    module's lambdas sit in hypothesis's cache and the deep call reads them from it."""
    lines, _ = inspect.findsource(coverage_schema)
    tree = ast.parse("".join(lines))
    lambda_sources.AST_LAMBDAS_CACHE[tuple(lines)] = lambda_sources.extract_all_lambdas(tree)


_parse_coverage_lambdas_now()
BASE_URL = "http://testserver.local"

# Checks switched off for single operations, each with the reason the check is wrong there.
# positive_data_acceptance expects every schema-valid request to be accepted:
EMAIL_RULE = (
    "an email address must pass email-validator (RFC 5321 syntax, a dotted domain that is "
    "not reserved), which JSON Schema cannot express; 422 validation_error names `email`"
)
CURSOR_RULE = (
    "a cursor is opaque: a URL-safe base64 string (the schema's pattern) that the server did "
    "not issue decodes to no key, 400 invalid_cursor; JSON Schema cannot say which do"
)
SUSPENSION_RULE = (
    "a suspension takes exactly one of `days` or `until` (the operation's description says "
    "so); the body's schema, generated from its Struct, cannot say 'exactly one of'"
)
TIMEZONE_RULE = (
    "`timezone` must be a name in the host's tz database; an enum of them would make the "
    "committed document depend on the machine that exported it"
)
KINDS_RULE = (
    "`kinds` and `channels` are keyed by notification kind, and `ids` with `all` is refused; "
    "the generated schema keeps only the value type of a mapping"
)
DOCUMENT_RULE = (
    "a category or lesson is a curriculum document checked by the curriculum loader (every "
    "text in ko, en, ja and es, a CEFR level, expressions ...), as `hypehere learning "
    "load-curriculum` checks a file; its rules are the loader's, not JSON Schema's"
)
LESSON_LANGUAGE_RULE = (
    "a lesson is offered in the languages its content has; which ones is data, not schema"
)
MEDIA_RULE = (
    "each `media_urls` item must be an absolute https URL (the item Struct's pattern), which "
    "Litestar's schema generator does not carry onto the items of a list"
)
RESOLVE_RULE = "`suspend_days` goes only with `action: suspend`, a rule across two fields"
RANGE_RULE = "an analytics range spans at most 366 days, a rule across `start` and `end`"
# negative_data_rejection expects every schema-violating request to be refused:
LAX_BOOL = "request bodies are decoded leniently (msgspec `strict=False`): 0/1 read as booleans"
OPTIONAL_BODY = "the body is optional (no reason, no password): an empty request is valid"
EXCLUDED: dict[str, dict[Any, str]] = {
    "auth_register": {positive_data_acceptance: EMAIL_RULE},
    "admin_users_suspend": {positive_data_acceptance: SUSPENSION_RULE},
    "users_update_me": {positive_data_acceptance: TIMEZONE_RULE},
    "notifications_update_settings": {positive_data_acceptance: KINDS_RULE},
    "notifications_mark_read": {
        positive_data_acceptance: KINDS_RULE,
        negative_data_rejection: LAX_BOOL,
    },
    "learning_record_progress": {
        negative_data_rejection: LAX_BOOL,
        positive_data_acceptance: LESSON_LANGUAGE_RULE,
    },
    "posts_create": {positive_data_acceptance: MEDIA_RULE},
    "posts_update": {positive_data_acceptance: MEDIA_RULE},
    "admin_reports_resolve": {positive_data_acceptance: RESOLVE_RULE},
    "learning_get_lesson": {positive_data_acceptance: LESSON_LANGUAGE_RULE},
    "admin_learning_create_category": {positive_data_acceptance: DOCUMENT_RULE},
    "admin_learning_update_category": {positive_data_acceptance: DOCUMENT_RULE},
    "admin_learning_create_lesson": {positive_data_acceptance: DOCUMENT_RULE},
    "admin_learning_replace_lesson": {positive_data_acceptance: DOCUMENT_RULE},
    "admin_users_ban": {negative_data_rejection: OPTIONAL_BODY},
    "rooms_join": {negative_data_rejection: OPTIONAL_BODY},
}


def excluded_checks(operation: Any) -> list[Any]:
    raw = operation.definition.raw
    off = dict(EXCLUDED.get(raw.get("operationId"), {}))
    if operation.path.startswith("/api/v1/analytics/"):
        off[positive_data_acceptance] = RANGE_RULE
    if any(p.get("name") == "cursor" for p in raw.get("parameters", [])):
        off[positive_data_acceptance] = CURSOR_RULE
    return list(off)


# Operations that end the signed-in user's account: each call gets a user of its own.
ACCOUNT_ENDING = {"users_deactivate", "users_delete_account", "users_change_password"}


class _AsyncFacade:
    """`build_world` awaits an async client; this one forwards to the sync test client."""

    def __init__(self, client: TestClient[Any]) -> None:
        self._client = client

    async def post(self, *args: Any, **kwargs: Any) -> Any:
        return self._client.post(*args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._client.get(*args, **kwargs)


async def _load_curriculum(url: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(load_curriculum_into, load_curriculum(FIXTURE_CURRICULUM))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def st_app(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient[Any], World]]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    if backend == "postgres":
        url = request.getfixturevalue("postgres_url")
        redis = request.getfixturevalue("redis_url")
        _run(truncate_all(url))
        _run(flush_redis(redis))
        app_settings = test_settings(tmp, database_url=url, redis_url=redis)
    else:
        url = request.getfixturevalue("sqlite_url")
        _run(truncate_all(url))
        app_settings = test_settings(tmp, database_url=url)
    _run(_load_curriculum(url))
    with TestClient(app=create_app(app_settings)) as client:
        world = _run(build_world(_AsyncFacade(client), app_settings))
        yield client, world


def _config(world: World, backend: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            # No NUL in generated strings: the server refuses NUL in every string (422, the
            # 422 response says so), and a "no NUL" pattern on every string field makes
            # hypothesis's regex generation crawl.
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none", "allow-x00": False},
            "phases": {
                "stateful": {"enabled": False},
                # The budget: the coverage phase (every boundary and negative value of every
                # parameter, most of the time) runs on SQLite; PostgreSQL + Redis gets the
                # same operations with generated data only, which reaches its own adapters.
                "coverage": {"enabled": backend == "sqlite"},
            },
            "parameters": {f"path.{name}": value for name, value in world.path_values.items()},
        }
    )


@pytest.fixture(scope="module")
def api_schema(backend: str, st_app: tuple[TestClient[Any], World]) -> Any:
    client, world = st_app
    document = client.get(f"{API}/schema/openapi.json").json()
    return schemathesis.openapi.from_dict(document, config=_config(world, backend))


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 reads and renames `node._nodeid`, which pytest 9 no longer has
    (its `nodeid` is a property now): give it the attribute it reads."""
    request.node._nodeid = request.node.nodeid


def _headers_for(case: Any, client: TestClient[Any], world: World) -> dict[str, str]:
    """The bearer token, unless the case is one that leaves `Authorization` out on purpose
    (a negative header component without it): sent anyway, it would make that case valid."""
    header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    sent = {name.lower() for name in case.headers or {}}
    if header is not None and header.mode.is_negative and "authorization" not in sent:
        return {}
    return auth(_token_for(case, client, world))


def _token_for(case: Any, client: TestClient[Any], world: World) -> str:
    if case.operation.definition.raw.get("operationId") in ACCOUNT_ENDING:
        from tests.api.helpers import registration

        response = client.post(f"{API}/auth/register", json=registration())
        assert response.status_code == 201, response.text
        return str(response.json()["access_token"])
    return world.token


class _AppAdapter(requests.adapters.BaseAdapter):
    """Sends a `requests` request to the app through Litestar's test client, so every request
    schemathesis makes (its checks re-send some: without the token, other methods) reaches
    the app in process, in its own event loop."""

    def __init__(self, client: TestClient[Any]) -> None:
        super().__init__()
        self._client = client

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body.encode() if isinstance(request.body, str) else request.body
        sent = self._client.request(
            str(request.method), str(request.url), headers=dict(request.headers), content=body
        )
        response = requests.Response()
        response.status_code = sent.status_code
        response._content = sent.content
        response.headers = CaseInsensitiveDict(sent.headers)
        # schemathesis reads the headers from `raw`, as a network response has them.
        response.raw = HTTPResponse(
            headers=HTTPHeaderDict(list(sent.headers.multi_items())),
            status=sent.status_code,
            version=11,
            preload_content=False,
        )
        response.url = str(request.url)
        response.request = request
        response.reason = sent.reason_phrase
        response.encoding = sent.encoding
        return response

    def close(self) -> None:
        return None


@pytest.fixture(scope="module")
def st_session(st_app: tuple[TestClient[Any], World]) -> Iterator[requests.Session]:
    """A session whose requests to BASE_URL reach the app; some checks open sessions of
    their own, so every session sends BASE_URL requests to the app while this runs."""
    adapter = _AppAdapter(st_app[0])
    original = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> Any:
        return adapter if url.startswith(BASE_URL) else original(self, url)

    patch = pytest.MonkeyPatch()
    patch.setattr(requests.Session, "get_adapter", get_adapter)
    session = requests.Session()
    try:
        yield session
    finally:
        session.close()
        patch.undo()


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
)
def test_api_conforms_to_its_schema(
    case: Any, st_app: tuple[TestClient[Any], World], st_session: requests.Session
) -> None:
    client, world = st_app
    case.call_and_validate(
        base_url=BASE_URL,
        session=st_session,
        headers=_headers_for(case, client, world),
        excluded_checks=excluded_checks(case.operation),
    )
