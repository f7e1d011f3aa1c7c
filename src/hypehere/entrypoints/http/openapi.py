"""The OpenAPI document, finished from what the routes are rather than written route by route.

Litestar builds the paths and component schemas from the handlers' signatures; `document`
then adds what it cannot see (applied to the built `OpenAPI` object, once per app):

- security: a `bearer` scheme (`Authorization: Bearer <access token>`); an operation whose
  handler takes `actor` requires it, one that takes `maybe_actor` accepts it (`[{}, bearer]`),
  the others declare none;
- error responses, all `application/problem+json` with the `Problem` schema, derived from
  what reaches the handler (see `error_statuses`);
- `operationId` `<resource>_<action>` (`auth_login`, `posts_create`, `users_follow`) and a
  summary from the handler's name (or its docstring's first line);
- the input rules the server enforces: request bodies are closed objects (every request
  Struct has `forbid_unknown_fields`; a test checks both agree), language codes are ISO
  639-1 (`enum`), levels CEFR, `limit` 1..MAX_LIMIT, and required query strings non-empty.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.routes import HTTPRoute

from hypehere.domain.search.rules import MAX_QUERY_LENGTH
from hypehere.domain.shared.languages import ISO_639_1, CefrLevel
from hypehere.domain.shared.pagination import MAX_CURSOR_LENGTH, MAX_LIMIT
from hypehere.domain.users.rules import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION
from hypehere.entrypoints.http.problems import PROBLEM_JSON, TITLES

BEARER = "bearer"
PROBLEM = "Problem"
API_PREFIX = "/api/v1"

LANGUAGE_FIELDS = frozenset(
    {"language", "native_language", "target_language", "interface_language", "source_language"}
)
LEVEL_FIELDS = frozenset({"level"})
# Number fields the rules bound with a field code of their own (so not on the Struct).
BODY_NUMBER_BOUNDS: dict[str, tuple[float, float]] = {
    "desired_retention": (MIN_DESIRED_RETENTION, MAX_DESIRED_RETENTION),
}
# Fields naming credentials: a wrong one is 401 (login, refresh, appeals of a locked account).
CREDENTIAL_FIELDS = frozenset({"password", "refresh_token"})
# Query parameters by name: what the server accepts (anything else is 400/422).
QUERY_RULES: dict[str, dict[str, Any]] = {
    # An opaque cursor from `next_cursor`: URL-safe base64 (`pagination.is_wellformed_cursor`);
    # empty is no cursor.
    "cursor": {"pattern": r"^[A-Za-z0-9_-]*$", "max_length": MAX_CURSOR_LENGTH},
    # A search needs a word (`search.rules.query_terms`).
    "q": {"pattern": r"\w", "max_length": MAX_QUERY_LENGTH},
    # The analytics range (`analytics.model.parse_day`): a calendar day.
    "start": {"format": OpenAPIFormat.DATE},
    "end": {"format": OpenAPIFormat.DATE},
}
_LANGUAGES = sorted(ISO_639_1)
_LEVELS = [level.value for level in CefrLevel]

# Statuses an operation can answer beyond those `error_statuses` derives, each with why.
EXTRA_STATUSES: dict[str, dict[int, str]] = {
    "matching_queue_status": {404: "Not waiting for a partner (`not_queued`)."},
}

_DESCRIPTIONS = {
    400: "The body is not JSON (or nests too deep), or the cursor is malformed.",
    401: "No valid access token (or the account is no longer active).",
    403: "Not allowed: staff only, not the owner, blocked, or the account is suspended.",
    404: "A resource named in the path or the body does not exist (or is not visible).",
    409: "The change conflicts with the resource's current state.",
    413: "The request body is larger than 1 MiB.",
    422: (
        "Invalid fields (named in `errors`; a string holding NUL is one) or a rule of the "
        "domain refused the input."
    ),
    429: "Over a rate limit; `Retry-After` says when to try again.",
    503: "A backing service (database, Redis) is temporarily unavailable.",
}

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class RouteFacts:
    """What the handler of one operation takes, as far as the document is concerned."""

    method: str
    path: str
    handler: HTTPRouteHandler

    @property
    def parameter_names(self) -> set[str]:
        return set(self.handler.parsed_fn_signature.parameters)

    @property
    def requires_auth(self) -> bool:
        return "actor" in self.parameter_names

    @property
    def optional_auth(self) -> bool:
        return "maybe_actor" in self.parameter_names

    @property
    def has_body(self) -> bool:
        return "data" in self.parameter_names

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"\{(\w+)(?::\w+)?\}", self.path)

    @property
    def rate_limited(self) -> bool:
        return self.handler.opt.get("rate_limit") != "exempt" and self.path.startswith(API_PREFIX)


def error_statuses(facts: RouteFacts, operation: Operation, schema: OpenAPI) -> set[int]:
    """The error statuses an operation can answer, from what reaches its handler:
    an access token (401; a required one also 403: staff-only, owner-only, suspended), path
    ids (404), a body (400 malformed, 413 too large, 422 invalid), parameters (422), a write
    (409 conflicting state, 422 a domain rule), a cursor (400), the rate limiter (429) and
    the database (503)."""
    statuses: set[int] = set()
    if facts.requires_auth or facts.optional_auth:
        statuses.add(401)
    if facts.requires_auth:
        statuses.add(403)
    if facts.path_params:
        statuses |= {404, 422}
    if facts.has_body:
        statuses |= {400, 413, 422}
        fields = _body_fields(operation, schema)
        if any(name.endswith("_id") for name in fields):
            statuses.add(404)
        if fields & CREDENTIAL_FIELDS:
            statuses.add(401)
    query = [p for p in operation.parameters or [] if getattr(p, "param_in", None) == "query"]
    if query:
        statuses.add(422)
    if any(getattr(p, "name", None) == "cursor" for p in query):
        statuses.add(400)
    if facts.method in _WRITE_METHODS and facts.requires_auth:
        statuses |= {409, 422}
    if facts.rate_limited:
        statuses.add(429)
    if facts.path.startswith(API_PREFIX) or facts.path.startswith("/health/ready"):
        statuses.add(503)
    return statuses


def _body_fields(operation: Operation, schema: OpenAPI) -> set[str]:
    body = operation.request_body
    if body is None or isinstance(body, Reference):
        return set()
    fields: set[str] = set()
    for media in body.content.values():
        node = _resolve(media.schema, schema)
        if node is not None:
            fields |= set(node.properties or {})
    return fields


def _resolve(node: Any, schema: OpenAPI) -> Schema | None:
    if isinstance(node, Reference):
        components = schema.components.schemas or {}
        return components.get(node.ref.rsplit("/", 1)[1])
    return node if isinstance(node, Schema) else None


def _words(name: str) -> list[str]:
    return [w for w in name.lower().split("_") if w]


def operation_id(facts: RouteFacts) -> str:
    """`<resource>_<action>`: the resource is the path's first segment (`admin_<second>`
    under /admin), the action the handler's name without the resource's own word (none
    when the name is the resource's: `search`, `admin_dashboard`)."""
    segments = [s for s in facts.path.removeprefix(API_PREFIX).split("/") if s]
    segments = [s for s in segments if not s.startswith("{")]
    resource = segments[0] if segments else "root"
    if resource == "admin" and len(segments) > 1:
        resource = f"admin_{segments[1]}"
    resource = resource.replace("-", "_")
    own = set(_words(resource)) | {w.removesuffix("s") for w in _words(resource)}
    action = [w for w in _words(facts.handler.handler_name) if w not in own]
    return "_".join([resource, *action])


def summary(facts: RouteFacts) -> str:
    doc = inspect.getdoc(facts.handler.fn)
    if doc:
        return doc.split("\n\n", 1)[0].replace("\n", " ").rstrip(".")
    return " ".join(_words(facts.handler.handler_name)).capitalize()


def _problem_schema() -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        description="RFC 9457 problem details with a stable `code`.",
        required=["type", "title", "status", "detail", "code"],
        properties={
            "type": Schema(type=OpenAPIType.STRING),
            "title": Schema(type=OpenAPIType.STRING),
            "status": Schema(type=OpenAPIType.INTEGER),
            "detail": Schema(type=OpenAPIType.STRING),
            "code": Schema(type=OpenAPIType.STRING),
            "instance": Schema(type=OpenAPIType.STRING),
            "errors": Schema(
                type=OpenAPIType.ARRAY,
                items=Schema(
                    type=OpenAPIType.OBJECT,
                    properties={
                        "field": Schema(type=OpenAPIType.STRING),
                        "message": Schema(type=OpenAPIType.STRING),
                        "code": Schema(type=OpenAPIType.STRING),
                    },
                ),
            ),
        },
    )


def _problem_response(status: int, description: str) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=f"{TITLES.get(status, 'Error')}: {description}",
        content={
            PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref=f"#/components/schemas/{PROBLEM}"))
        },
    )


def _constrain_inputs(operation: Operation) -> None:
    for parameter in operation.parameters or []:
        param_schema = getattr(parameter, "schema", None)
        name = getattr(parameter, "name", "")
        if not isinstance(param_schema, Schema):
            continue
        for node in _string_or_int_nodes(param_schema):
            if name == "limit" and node.type == OpenAPIType.INTEGER:
                node.minimum, node.maximum = 1, MAX_LIMIT
            elif node.type != OpenAPIType.STRING:
                continue
            elif name in LANGUAGE_FIELDS:
                node.enum = _LANGUAGES
            elif name in QUERY_RULES:
                for key, value in QUERY_RULES[name].items():
                    setattr(node, key, value)
        if getattr(parameter, "required", False):
            for node in _string_or_int_nodes(param_schema):
                if node.type == OpenAPIType.STRING and not node.min_length:
                    node.min_length = 1


def _string_or_int_nodes(node: Schema) -> Iterable[Schema]:
    if node.one_of:
        for option in node.one_of:
            if isinstance(option, Schema):
                yield from _string_or_int_nodes(option)
    elif node.type in (OpenAPIType.STRING, OpenAPIType.INTEGER):
        yield node


def _close_body_schemas(schema: OpenAPI, names: set[str]) -> None:
    """Request bodies (and the objects they nest) are closed; language and level fields
    take the codes the server accepts."""
    components = schema.components.schemas or {}
    seen: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        node = components[name]
        node.additional_properties = False
        for prop_name, prop in (node.properties or {}).items():
            for ref in _refs(prop):
                pending.append(ref)
            if isinstance(prop, Schema) and prop_name in BODY_NUMBER_BOUNDS:
                for option in [prop, *(prop.one_of or [])]:
                    if isinstance(option, Schema) and option.type == OpenAPIType.NUMBER:
                        option.minimum, option.maximum = BODY_NUMBER_BOUNDS[prop_name]
            if isinstance(prop, Schema):
                for leaf in _string_or_int_nodes(prop):
                    if leaf.type != OpenAPIType.STRING:
                        continue
                    if prop_name in LANGUAGE_FIELDS:
                        leaf.enum, leaf.max_length = _LANGUAGES, None
                    elif prop_name in LEVEL_FIELDS:
                        leaf.enum, leaf.max_length = _LEVELS, None


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, Reference):
        yield node.ref.rsplit("/", 1)[1]
    elif isinstance(node, Schema):
        for child in [*(node.one_of or []), *(node.any_of or [])]:
            yield from _refs(child)
        if node.items is not None:
            yield from _refs(node.items)


def _operations(route: HTTPRoute) -> Iterable[tuple[str, HTTPRouteHandler]]:
    for method, (handler, _) in route.route_handler_map.items():
        if method != "OPTIONS" and handler.resolve_include_in_schema():
            yield method, handler


def document(openapi: OpenAPI, routes: Iterable[HTTPRoute]) -> OpenAPI:
    """Finish the document Litestar built (see the module docstring)."""
    components = openapi.components
    assert isinstance(components, Components)
    components.security_schemes = {
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="The `access_token` of /auth/login, /auth/register or /auth/refresh.",
        )
    }
    components.schemas = {**(components.schemas or {}), PROBLEM: _problem_schema()}
    body_schemas: set[str] = set()
    used_ids: dict[str, str] = {}
    for route in routes:
        path_item = (openapi.paths or {}).get(route.path_format or "/")
        if path_item is None:
            continue
        for method, handler in _operations(route):
            operation: Operation | None = getattr(path_item, method.lower(), None)
            if operation is None:
                continue
            facts = RouteFacts(method, route.path_format, handler)
            op_id = operation_id(facts)
            if op_id in used_ids:
                raise ValueError(f"operationId {op_id} of {method} {facts.path} repeats")
            used_ids[op_id] = f"{method} {facts.path}"
            operation.operation_id = op_id
            operation.summary = summary(facts)
            if facts.requires_auth:
                operation.security = [{BEARER: []}]
            elif facts.optional_auth:
                operation.security = [{}, {BEARER: []}]
            else:
                operation.security = None
            responses = dict(operation.responses or {})
            responses.pop("400", None)  # Litestar's generic one: replaced below when it applies
            statuses = error_statuses(facts, operation, openapi)
            extra = EXTRA_STATUSES.get(op_id, {})
            for status in sorted(statuses | set(extra)):
                responses[str(status)] = _problem_response(
                    status, extra.get(status) or _DESCRIPTIONS[status]
                )
            operation.responses = responses
            _constrain_inputs(operation)
            if operation.request_body is not None and not isinstance(
                operation.request_body, Reference
            ):
                for media in operation.request_body.content.values():
                    body_schemas |= set(_refs(media.schema))
    _close_body_schemas(openapi, body_schemas)
    return openapi


class DocumentedOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin with `document` applied to the document it builds."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        return document(super()._build_openapi(), self.included_routes.values())


def install(app: Litestar) -> None:
    """Make `app` serve the finished document (Litestar always adds its own OpenAPI plugin;
    this swaps the class of that instance, which keeps its state)."""
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = DocumentedOpenAPIPlugin


def repair_options_allow(app: Litestar) -> None:
    """`OPTIONS` answers `Allow` with every method of the path, as the document lists them.

    Litestar builds a path's route anew each time more handlers join it (a second controller
    method on the same path), but keeps the automatic OPTIONS handler of the first build,
    which lists only the methods that build had (`Allow: OPTIONS, PUT` on a path that also
    has DELETE). Each such handler closes over its stale route: give it the final methods."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "OPTIONS" not in route.route_handler_map:
            continue
        handler = route.route_handler_map["OPTIONS"][0]
        for cell in getattr(handler.fn, "__closure__", None) or ():
            stale = cell.cell_contents
            if isinstance(stale, HTTPRoute) and stale is not route:
                stale.methods = route.methods
