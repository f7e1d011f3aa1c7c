"""The one error table: domain/application errors -> status + stable `code` + a localizable
`detail` msgid. HTTP renders it as problem+json (`entrypoints/http/errors.py`), WebSockets
as an error frame (`entrypoints/ws/gateway.py`); both call `describe`.

Lookup walks the exception's MRO, so a module's error inherits its category's status
unless the table names it. `detail` texts are English msgids translated per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypehere.application.common.errors import StorageConflictError, StorageUnavailableError
from hypehere.domain.analytics.model import InvalidDateRangeError
from hypehere.domain.chat import errors as chat_errors
from hypehere.domain.feed import errors as feed_errors
from hypehere.domain.learning import errors as learning_errors
from hypehere.domain.matching import errors as matching_errors
from hypehere.domain.moderation import errors as moderation_errors
from hypehere.domain.notifications import errors as notifications_errors
from hypehere.domain.search import errors as search_errors
from hypehere.domain.shared.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
    StaffOnlyError,
    UnauthorizedError,
)
from hypehere.domain.shared.pagination import InvalidCursorError
from hypehere.domain.users import errors as users_errors
from hypehere.entrypoints.i18n import gettext


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
    StaffOnlyError: ErrorSpec(403, "forbidden", "You are not allowed to do this."),
    UnauthorizedError: ErrorSpec(401),
    RateLimitedError: ErrorSpec(429, "rate_limited", "Too many requests. Try again later."),
    StorageUnavailableError: ErrorSpec(
        503, "service_unavailable", "A service is temporarily unavailable."
    ),
    StorageConflictError: ErrorSpec(409, "conflict", "The change conflicts with existing data."),
    # --- analytics ---
    InvalidDateRangeError: ErrorSpec(422, "invalid_date_range"),
    # --- feed ---
    feed_errors.PostNotFoundError: ErrorSpec(404, "not_found", "The post was not found."),
    feed_errors.CommentNotFoundError: ErrorSpec(404, "not_found", "The comment was not found."),
    feed_errors.NotAuthorError: ErrorSpec(
        403, "not_author", "Only the author can change or delete this."
    ),
    feed_errors.ContentRemovedError: ErrorSpec(
        409, "content_removed", "This content was removed by moderation."
    ),
    feed_errors.ContentHeldError: ErrorSpec(
        409, "content_held", "This post is waiting for a moderation check."
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
    users_errors.InvalidStateTransitionError: ErrorSpec(
        409, "invalid_state", "The account is not in a state that allows this."
    ),
    users_errors.InsufficientRoleError: ErrorSpec(
        403, "insufficient_role", "Staff can act only on accounts with a lower role."
    ),
    users_errors.CannotActOnSelfError: ErrorSpec(
        403, "cannot_act_on_self", "Staff cannot do this to their own account."
    ),
    # --- matching ---
    matching_errors.AlreadyQueuedError: ErrorSpec(
        409, "already_queued", "You are already waiting for a partner."
    ),
    matching_errors.InConversationError: ErrorSpec(
        409, "in_conversation", "Leave your anonymous conversation first."
    ),
    matching_errors.NotQueuedError: ErrorSpec(
        404, "not_queued", "You are not waiting for a partner."
    ),
    matching_errors.AnonymousConversationNotFoundError: ErrorSpec(
        404, "not_found", "The conversation was not found."
    ),
    matching_errors.ProfileNotFoundError: ErrorSpec(404, "not_found", "The user was not found."),
    matching_errors.ConversationEndedError: ErrorSpec(
        409, "conversation_ended", "The conversation has ended."
    ),
    matching_errors.VideoOnlyError: ErrorSpec(
        403, "video_only", "WebRTC signalling is for video conversations only."
    ),
    matching_errors.SignalTooLargeError: ErrorSpec(
        413, "payload_too_large", "The signalling payload is too large."
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
    # --- moderation ---
    moderation_errors.ReportNotFoundError: ErrorSpec(404, "not_found", "The report was not found."),
    moderation_errors.ReportTargetNotFoundError: ErrorSpec(
        404, "not_found", "The reported item was not found."
    ),
    moderation_errors.ReportExistsError: ErrorSpec(
        409, "report_exists", "You already reported this, and your report is still open."
    ),
    moderation_errors.ReportStateError: ErrorSpec(
        409, "invalid_report_state", "The report is not in a state that allows this."
    ),
    moderation_errors.SelfReportError: ErrorSpec(
        422, "cannot_report_self", "You cannot report yourself or your own content."
    ),
    moderation_errors.ActionNotApplicableError: ErrorSpec(
        422, "action_not_applicable", "This action does not apply to the reported item."
    ),
    moderation_errors.StrikeNotFoundError: ErrorSpec(404, "not_found", "The strike was not found."),
    moderation_errors.AppealNotFoundError: ErrorSpec(404, "not_found", "The appeal was not found."),
    moderation_errors.AppealExistsError: ErrorSpec(
        409, "appeal_exists", "This strike was already appealed."
    ),
    moderation_errors.AppealStateError: ErrorSpec(
        409, "invalid_appeal_state", "The appeal is already decided."
    ),
    moderation_errors.AppealWindowClosedError: ErrorSpec(
        410, "appeal_window_closed", "The time to appeal this strike has passed."
    ),
    moderation_errors.SameModeratorError: ErrorSpec(
        403,
        "same_moderator",
        "An appeal must be decided by a staff member other than the one who acted.",
    ),
    moderation_errors.HeldItemNotFoundError: ErrorSpec(
        404, "not_found", "The moderation item was not found."
    ),
    moderation_errors.HeldItemStateError: ErrorSpec(
        409, "invalid_item_state", "The moderation item was already decided."
    ),
    moderation_errors.SpecNotFoundError: ErrorSpec(404, "not_found", "The spec was not found."),
    # --- search ---
    search_errors.SearchQueryInvalidError: ErrorSpec(
        422,
        "validation_error",
        "The search query must have 1 to 200 characters and contain a word.",
    ),
    search_errors.SearchTypeInvalidError: ErrorSpec(
        422, "validation_error", "The search type must be posts, users or lessons."
    ),
    # --- learning ---
    learning_errors.CategoryNotFoundError: ErrorSpec(
        404, "not_found", "The category was not found."
    ),
    learning_errors.LessonNotFoundError: ErrorSpec(404, "not_found", "The lesson was not found."),
    learning_errors.ReviewCardNotFoundError: ErrorSpec(
        404, "not_found", "The review card was not found."
    ),
    learning_errors.CorrectionNotFoundError: ErrorSpec(
        404, "not_found", "The correction was not found."
    ),
    learning_errors.CorrectionTargetNotFoundError: ErrorSpec(
        404, "not_found", "The text to correct was not found."
    ),
    learning_errors.NotNativeSpeakerError: ErrorSpec(
        403,
        "not_native_speaker",
        "Only native speakers of the text's language can correct it.",
    ),
    learning_errors.CannotCorrectOwnTextError: ErrorSpec(
        403, "own_text", "You cannot correct your own text."
    ),
    learning_errors.NotTheAuthorError: ErrorSpec(
        403, "not_author", "Only the author of the text can accept a correction."
    ),
    learning_errors.CorrectionExistsError: ErrorSpec(
        409, "correction_exists", "You already corrected this text."
    ),
    learning_errors.CorrectionAlreadyAcceptedError: ErrorSpec(
        409, "correction_accepted", "The correction was already accepted."
    ),
    learning_errors.CorrectionUnchangedError: ErrorSpec(
        422, "correction_unchanged", "The corrected text is the same as the original."
    ),
    learning_errors.LessonLanguageUnavailableError: ErrorSpec(
        422, "lesson_language_unavailable", "This lesson is not available in that language."
    ),
}


def lookup(exc: Exception) -> ErrorSpec | None:
    for klass in type(exc).__mro__:
        spec = ERROR_TABLE.get(klass)
        if spec is not None:
            return spec
    return None


# A field that failed validation: every such 422 has this top-level code (API.md), so a
# client handling `validation_error` generically sees them all; the specific reason
# (`invalid_language`, ...) is the field error's own `code`.
VALIDATION_ERROR = "validation_error"


@dataclass(frozen=True, slots=True)
class DescribedError:
    """An error as a client sees it: HTTP status, stable `code`, localized message; for a
    field validation failure, the field and the field error's own `field_code`."""

    status: int
    code: str
    message: str
    field: str | None = None
    field_code: str | None = None


def describe(exc: DomainError, language: str) -> DescribedError:
    """The table's status, code and detail for `exc`, the detail translated to `language`.

    A table msgid may use the error's params; a free-form message is shown as is."""
    spec = lookup(exc) or ErrorSpec(500, "internal_error")
    code = spec.code or exc.code
    if spec.detail:
        message = gettext(language, spec.detail, **exc.params)
    else:
        message = gettext(language, exc.message)
    field = getattr(exc, "field", None)
    if spec.status == 422 and isinstance(field, str) and field:
        return DescribedError(spec.status, VALIDATION_ERROR, message, field, code)
    return DescribedError(spec.status, code, message)
