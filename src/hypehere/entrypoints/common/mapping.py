"""The one view -> response-schema mapper: a response schema that shows a view's fields
under the same names (nested views too) is filled from the view's attributes, instead of
a hand-written copy of every field."""

from __future__ import annotations

from typing import TypeVar

import msgspec

T = TypeVar("T")


def shown_as(view: object, schema: type[T]) -> T:
    """`view` as `schema`: its same-named attributes; fields the schema does not list (say,
    moderation state on the account view) stay out of the response."""
    return msgspec.convert(view, schema, from_attributes=True)
