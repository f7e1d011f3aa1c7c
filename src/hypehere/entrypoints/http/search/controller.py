"""`GET /search?q=&type=posts|users|lessons&language=&limit=&cursor=`.

Signed-in and anonymous viewers may search; a signed-in viewer never sees people they
block or who block them. `type=lessons` finds lessons by title and expressions in the
viewer's languages."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, get
from litestar.params import Parameter

from hypehere.application.common.actor import Actor
from hypehere.application.search.search_content import SearchContent, SearchContentCommand
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.search.schemas import SearchPageOut, page_out


class SearchController(Controller):
    path = "/search"
    tags = ["search"]

    @get("/")
    @inject
    async def search(
        self,
        request: Request[Any, Any, Any],
        maybe_actor: Actor | None,
        uc: FromDishka[SearchContent],
        q: str | None = Parameter(query="q", required=False, default=None),
        kind: str | None = Parameter(query="type", required=False, default=None),
        language: str | None = Parameter(query="language", required=False, default=None),
        limit: int | None = Parameter(query="limit", required=False, default=None),
        cursor: str | None = Parameter(query="cursor", required=False, default=None),
    ) -> SearchPageOut:
        result = await uc.execute(
            SearchContentCommand(
                q=q,
                type=kind,
                language=language,
                limit=limit,
                cursor=cursor,
                viewer=maybe_actor,
                fallback_language=request_language(request),
            )
        )
        return page_out(result)
