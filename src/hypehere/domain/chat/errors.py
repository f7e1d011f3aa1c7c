"""Errors of the chat module (1:1 conversations and open rooms)."""

from __future__ import annotations

from hypehere.domain.shared.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
)


class ChatError(DomainError):
    code = "chat_error"


class ConversationNotFoundError(NotFoundError):
    code = "conversation_not_found"


class ChatPartnerNotFoundError(NotFoundError):
    code = "user_not_found"


class MessageNotFoundError(NotFoundError):
    code = "message_not_found"


class BlockedError(ForbiddenError):
    code = "blocked"


class NotParticipantError(ForbiddenError):
    code = "not_participant"


class CannotChatWithSelfError(InvalidInputError):
    code = "cannot_chat_with_self"


class RoomNotFoundError(NotFoundError):
    code = "room_not_found"


class WrongPasswordError(ForbiddenError):
    code = "wrong_password"


class RoomFullError(ConflictError):
    code = "room_full"


class BannedFromRoomError(ForbiddenError):
    code = "banned_from_room"


class KickedFromRoomError(ForbiddenError):
    """Kicked for a while; `until` (param) says when joining is allowed again."""

    code = "kicked"


class NotRoomMemberError(ForbiddenError):
    code = "not_room_member"


class NotRoomAdminError(ForbiddenError):
    code = "not_room_admin"


class CannotModerateError(ForbiddenError):
    """The target is the room's creator (or yourself)."""

    code = "cannot_moderate"


class RoomPasswordAttemptsError(RateLimitedError):
    """Too many password attempts by one user on one room; `retry_after` in seconds."""

    code = "rate_limited"
