"""The one error table: domain/application errors -> HTTP status + stable `code`.

Lookup walks the exception's MRO, so a module's error inherits its category's status
unless the table names it. `detail` texts are English msgids translated per request.
"""

from __future__ import annotations

from dataclasses import dataclass
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

from hypehere.application.common.errors import StorageConflictError, StorageUnavailableError
from hypehere.domain.chat import errors as chat_errors
from hypehere.domain.feed import errors as feed_errors
from hypehere.domain.notifications import errors as notifications_errors
from hypehere.domain.search import errors as search_errors
from hypehere.domain.shared.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    UnauthorizedError,
)
from hypehere.domain.shared.pagination import InvalidCursorError
from hypehere.domain.users import errors as users_errors
from hypehere.entrypoints.http.problems import problem_response
from hypehere.entrypoints.i18n import gettext, negotiate_language

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    status: int
    code: str | None = None  # None: use the exception's own `code`
    detail: str | None = None  # English msgid; None: the exception's message


ERROR_TABLE: dict[type[Exception], ErrorSpec] = {
    # --- shared categories ---
    DomainError: ErrorSpec(422),
    InvalidInputError: ErrorSpec(422),
    InvalidCursorError: ErrorSpec(400, "invalid_cursor", "The cursor is not valid."),
    NotFoundError: ErrorSpec(404, None, "The resource was not found."),
    ConflictError: ErrorSpec(409),
    ForbiddenError: ErrorSpec(403),
    UnauthorizedError: ErrorSpec(401),
    StorageUnavailableError: ErrorSpec(
        503, "service_unavailable", "A service is temporarily unavailable."
    ),
    StorageConflictError: ErrorSpec(409, "conflict", "The change conflicts with existing data."),
    # --- feed ---
    feed_errors.PostNotFoundError: ErrorSpec(404, "not_found", "The post was not found."),
    feed_errors.CommentNotFoundError: ErrorSpec(404, "not_found", "The comment was not found."),
    feed_errors.NotAuthorError: ErrorSpec(
        403, "not_author", "Only the author can change or delete this."
    ),
    feed_errors.StaffOnlyError: ErrorSpec(403, "forbidden", "You are not allowed to do this."),
    feed_errors.ContentRemovedError: ErrorSpec(
        409, "content_removed", "This content was removed by moderation."
    ),
    # --- users ---
    users_errors.UserNotFoundError: ErrorSpec(404, "not_found", "The user was not found."),
    users_errors.EmailTakenError: ErrorSpec(
        409, "email_taken", "This email address is already registered."
    ),
    users_errors.HandleTakenError: ErrorSpec(409, "handle_taken", "This handle is already taken."),
    users_errors.InvalidEmailError: ErrorSpec(
        422, "validation_error", "The email address is not valid."
    ),
    users_errors.WeakPasswordError: ErrorSpec(
        422,
        "validation_error",
        "The password must have 8 or more characters and differ from the email.",
    ),
    users_errors.InvalidCredentialsError: ErrorSpec(
        401, "invalid_credentials", "The email or password is wrong."
    ),
    users_errors.WrongPasswordError: ErrorSpec(
        403, "wrong_password", "The current password is wrong."
    ),
    users_errors.InvalidRefreshTokenError: ErrorSpec(
        401, "invalid_refresh_token", "The refresh token is not valid. Please log in again."
    ),
    users_errors.InvalidAccessTokenError: ErrorSpec(
        401, "invalid_token", "The access token is invalid or has expired."
    ),
    users_errors.AccountInactiveError: ErrorSpec(
        401, "account_inactive", "The account is not active. Please log in again."
    ),
    users_errors.AccountSuspendedError: ErrorSpec(
        403, "account_suspended", "The account is suspended until {suspended_until}."
    ),
    users_errors.AccountBannedError: ErrorSpec(403, "account_banned", "The account is banned."),
    users_errors.CannotFollowSelfError: ErrorSpec(
        422, "cannot_follow_self", "You cannot follow yourself."
    ),
    users_errors.CannotBlockSelfError: ErrorSpec(
        422, "cannot_block_self", "You cannot block yourself."
    ),
    users_errors.ListPrivateError: ErrorSpec(403, "list_private", "This list is private."),
    users_errors.StaffOnlyError: ErrorSpec(403, "forbidden", "You are not allowed to do this."),
    users_errors.InvalidStateTransitionError: ErrorSpec(
        409, "invalid_state", "The account is not in a state that allows this."
    ),
    # --- chat ---
    chat_errors.ConversationNotFoundError: ErrorSpec(
        404, "not_found", "The conversation was not found."
    ),
    chat_errors.ChatPartnerNotFoundError: ErrorSpec(404, "not_found", "The user was not found."),
    chat_errors.MessageNotFoundError: ErrorSpec(404, "not_found", "The message was not found."),
    chat_errors.RoomNotFoundError: ErrorSpec(404, "not_found", "The room was not found."),
    chat_errors.BlockedError: ErrorSpec(403, "blocked", "You cannot message this user."),
    chat_errors.NotParticipantError: ErrorSpec(
        403, "not_participant", "You are not a participant of this conversation."
    ),
    chat_errors.CannotChatWithSelfError: ErrorSpec(
        422, "cannot_chat_with_self", "You cannot start a conversation with yourself."
    ),
    chat_errors.WrongPasswordError: ErrorSpec(403, "wrong_password", "The room password is wrong."),
    chat_errors.RoomFullError: ErrorSpec(409, "room_full", "The room is full."),
    chat_errors.BannedFromRoomError: ErrorSpec(
        403, "banned_from_room", "You are banned from this room."
    ),
    chat_errors.KickedFromRoomError: ErrorSpec(
        403, "kicked", "You were kicked from this room; try again later."
    ),
    chat_errors.NotRoomMemberError: ErrorSpec(
        403, "not_room_member", "You are not a member of this room."
    ),
    chat_errors.NotRoomAdminError: ErrorSpec(
        403, "not_room_admin", "Only room admins can do this."
    ),
    chat_errors.CannotModerateError: ErrorSpec(
        403, "cannot_moderate", "This member cannot be removed from the room."
    ),
    # --- notifications ---
    notifications_errors.UnknownNotificationKindError: ErrorSpec(
        422, "validation_error", "Unknown notification kind: {kind}."
    ),
    notifications_errors.UnknownNotificationChannelError: ErrorSpec(
        422, "validation_error", "Unknown notification channel: {channel}."
    ),
    # --- search ---
    search_errors.SearchQueryInvalidError: ErrorSpec(
        422,
        "validation_error",
        "The search query must have 1 to 200 characters and contain a word.",
    ),
    search_errors.SearchTypeInvalidError: ErrorSpec(
        422, "validation_error", "The search type must be posts, users or lessons."
    ),
}


def lookup(exc: Exception) -> ErrorSpec | None:
    for klass in type(exc).__mro__:
        spec = ERROR_TABLE.get(klass)
        if spec is not None:
            return spec
    return None


def request_language(request: Request[Any, Any, Any]) -> str:
    preferred = getattr(request.state, "interface_language", None)
    return negotiate_language(preferred, request.headers.get("accept-language"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    spec = lookup(exc) or ErrorSpec(500, "internal_error")
    assert isinstance(exc, DomainError)
    language = request_language(request)
    code = spec.code or exc.code
    # A table msgid may use the error's params; a free-form message is shown as is.
    detail = (
        gettext(language, spec.detail, **exc.params)
        if spec.detail
        else gettext(language, exc.message)
    )
    extra: dict[str, Any] = {k: _jsonable(v) for k, v in exc.params.items()}
    field = getattr(exc, "field", None)
    if field:
        extra["errors"] = [{"field": field, "message": exc.message}]
    headers = {}
    if "retry_after" in exc.params:
        headers["Retry-After"] = str(exc.params["retry_after"])
    logger.info("request_rejected", code=code, status=spec.status, error=type(exc).__name__)
    return problem_response(
        spec.status, code, detail, instance=request.url.path, extra=extra, headers=headers
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
        code, detail = "validation_error", gettext(language, "The request has invalid fields.")
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
            out.append({"field": field, "message": message, "source": item.get("source")})
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
