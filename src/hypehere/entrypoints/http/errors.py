"""HTTP error rendering: every error becomes RFC 9457 problem+json. Domain/application errors
take their status, `code` and localized `detail` from the one error table
(`entrypoints/common/errors.py`); Litestar's own HTTP errors map through `_HTTP_CODES`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)

from hypehere.domain.shared.errors import DomainError
from hypehere.entrypoints.common.errors import VALIDATION_ERROR, describe
from hypehere.entrypoints.http.problems import problem_response
from hypehere.entrypoints.i18n import gettext, negotiate_language

logger = structlog.get_logger(__name__)


def request_language(request: Request[Any, Any, Any]) -> str:
    preferred = getattr(request.state, "interface_language", None)
    return negotiate_language(preferred, request.headers.get("accept-language"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    error = describe(exc, request_language(request))
    extra: dict[str, Any] = {k: _jsonable(v) for k, v in exc.params.items()}
    if error.field:
        extra["errors"] = [{"field": error.field, "message": exc.message, "code": error.field_code}]
    headers = {}
    if "retry_after" in exc.params:
        headers["Retry-After"] = str(exc.params["retry_after"])
    logger.info("request_rejected", code=error.code, status=error.status, error=type(exc).__name__)
    return problem_response(
        error.status,
        error.code,
        error.message,
        instance=request.url.path,
        extra=extra,
        headers=headers,
    )


_HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("malformed_request", "The request is malformed."),
    401: ("not_authenticated", "Authentication is required."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "The resource was not found."),
    405: ("method_not_allowed", "The method is not allowed for this resource."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "The media type is not supported."),
    429: ("rate_limited", "Too many requests. Try again later."),
}


def http_exception_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if exc.status_code >= 500 and exc.status_code != 503:
        # A server-side HTTPException (e.g. Litestar's ImproperlyConfigured) is a bug: log it
        # at error with its traceback and answer without its internal detail.
        return unexpected_error_handler(request, exc)
    language = request_language(request)
    status = exc.status_code
    extra: dict[str, Any] = {}
    if status == 503:
        code = "service_unavailable"
        detail = gettext(language, "A service is temporarily unavailable.")
    elif isinstance(exc, ValidationException) and _is_field_error(exc):
        status = 422
        code, detail = VALIDATION_ERROR, gettext(language, "The request has invalid fields.")
        extra["errors"] = _field_errors(exc)
    else:
        code, msg = _HTTP_CODES.get(status, ("http_error", exc.detail))
        detail = gettext(language, msg)
    headers = dict(exc.headers or {})
    if status == 429 and "Retry-After" not in headers and "RateLimit-Reset" in headers:
        # Litestar's rate limiter reports the window's reset in seconds: that is Retry-After.
        headers["Retry-After"] = str(max(1, int(headers["RateLimit-Reset"])))
    logger.info("request_rejected", code=code, status=status, error=type(exc).__name__)
    return problem_response(
        status, code, detail, instance=request.url.path, extra=extra, headers=headers
    )


def _is_field_error(exc: ValidationException) -> bool:
    """Litestar raises ValidationException for malformed JSON too; only field errors are 422."""
    extra = exc.extra
    if not isinstance(extra, list) or not extra:
        return False
    for item in extra:
        message = str(item.get("message", "")) if isinstance(item, dict) else ""
        if "malformed" in message.lower() or "JSON" in message:
            return False
    return True


def _field_errors(exc: ValidationException) -> list[dict[str, Any]]:
    out = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            field = item.get("key") or item.get("field") or ""
            message = str(item.get("message", "invalid"))
            if "source" in item and field == "data":
                field = _field_from_message(message) or "body"
            out.append(
                {
                    "field": field,
                    "message": message,
                    "source": item.get("source"),
                    "code": VALIDATION_ERROR,
                }
            )
    return out


def _field_from_message(message: str) -> str | None:
    # msgspec messages end with "- at `$.target_languages[0].level`"
    marker = "at `$."
    if marker in message:
        return message.split(marker, 1)[1].rstrip("`")
    if "required field `" in message:
        return message.split("required field `", 1)[1].split("`", 1)[0]
    return None


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.error("unhandled_error", path=request.url.path, method=request.method, exc_info=exc)
    language = request_language(request)
    return problem_response(
        500,
        "internal_error",
        gettext(language, "Something went wrong on our side."),
        instance=request.url.path,
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    HTTPException: http_exception_handler,
    ClientException: http_exception_handler,
    ValidationException: http_exception_handler,
    NotFoundException: http_exception_handler,
    NotAuthorizedException: http_exception_handler,
    PermissionDeniedException: http_exception_handler,
    MethodNotAllowedException: http_exception_handler,
    TooManyRequestsException: http_exception_handler,
    Exception: unexpected_error_handler,
}
