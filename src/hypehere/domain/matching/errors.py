"""Matching errors; the HTTP error table maps them to status codes by class."""

from __future__ import annotations

from hypehere.domain.shared.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)


class AlreadyQueuedError(ConflictError):
    code = "already_queued"


class InConversationError(ConflictError):
    """The user still has an anonymous conversation that has not ended."""

    code = "in_conversation"


class NotQueuedError(NotFoundError):
    code = "not_queued"


class AnonymousConversationNotFoundError(NotFoundError):
    """Not found, or I am not one of its two participants."""

    code = "not_found"


class ProfileNotFoundError(NotFoundError):
    code = "not_found"


class ConversationEndedError(ConflictError):
    code = "conversation_ended"


class VideoOnlyError(ForbiddenError):
    """WebRTC signalling in a text-mode conversation."""

    code = "video_only"


class SignalTooLargeError(InvalidInputError):
    code = "payload_too_large"
