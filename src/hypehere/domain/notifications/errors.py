"""Errors of the notifications module."""

from __future__ import annotations

from hypehere.domain.shared.errors import DomainError, InvalidInputError


class NotificationsError(DomainError):
    code = "notifications_error"


class UnknownNotificationKindError(InvalidInputError, NotificationsError):
    code = "validation_error"


class UnknownNotificationChannelError(InvalidInputError, NotificationsError):
    code = "validation_error"
