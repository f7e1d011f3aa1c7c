"""Search responses: a page of post or user shapes (API.md "Shapes") or of lessons.

The page is returned as a mapping: its items are posts for `type=posts`, users for
`type=users` and lessons for `type=lessons`, and an untagged union of Structs cannot be
described by msgspec's schema (OpenAPI generation would fail); tagging them would add a
field to the shapes."""

from __future__ import annotations

from typing import Any

from hypehere.application.search.search_content import SearchContentResult

SearchPageOut = dict[str, Any]


def page_out(result: SearchContentResult) -> SearchPageOut:
    return {"items": list(result.items), "next_cursor": result.next_cursor}
