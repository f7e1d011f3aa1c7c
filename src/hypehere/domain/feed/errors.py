"""Errors of the feed module: `<Thing><Problem>Error` under the shared categories."""

from __future__ import annotations

from hypehere.domain.shared.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)


class PostNotFoundError(NotFoundError):
    """Missing, deleted, or hidden from the viewer (block, deactivated author)."""

    code = "post_not_found"


class CommentNotFoundError(NotFoundError):
    code = "comment_not_found"


class AuthorNotFoundError(NotFoundError):
    """The author whose posts were asked for is missing or hidden from the viewer."""

    code = "user_not_found"


class NotAuthorError(ForbiddenError):
    """Only the author may edit or delete this."""

    code = "not_author"


class ContentRemovedError(ConflictError):
    """The content was removed by moderation and can no longer be edited or liked."""

    code = "content_removed"


class ContentHeldError(ConflictError):
    """The post waits for an automatic-moderation verdict and cannot be edited until then
    (the verdict is about the text it was held with)."""

    code = "content_held"


class InvalidMediaUrlError(InvalidInputError):
    code = "validation_error"


class InvalidHashtagError(InvalidInputError):
    code = "validation_error"
