"""RFC 9457 problem details responses."""

from __future__ import annotations

from typing import Any

from litestar import Response
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    response_headers = dict(headers or {})
    if status == HTTP_429_TOO_MANY_REQUESTS and "Retry-After" not in response_headers:
        response_headers["Retry-After"] = "60"
    return Response(
        content=body, status_code=status, media_type=PROBLEM_JSON, headers=response_headers
    )
