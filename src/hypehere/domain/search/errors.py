"""Search errors."""

from __future__ import annotations

from hypehere.domain.shared.errors import InvalidInputError


class SearchError(InvalidInputError):
    code = "validation_error"


class SearchQueryInvalidError(SearchError):
    """The query text is empty or too long."""


class SearchTypeInvalidError(SearchError):
    """`type` is not one of posts, users, lessons."""
