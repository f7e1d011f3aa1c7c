"""`/admin/specs` (staff): internal specification notes."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.create_spec import CreateSpec, CreateSpecCommand
from hypehere.application.moderation.list_specs import ListSpecs, ListSpecsCommand
from hypehere.application.moderation.spec_ports import SpecPageView, SpecView
from hypehere.application.moderation.update_spec import UpdateSpec, UpdateSpecCommand

Title = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=200)]
Body = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=20_000)]
Word = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=40)]
Status = Literal["draft", "review", "approved", "implemented", "deprecated"]


class SpecIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    title: Title
    body: Body
    category: Word
    status: Status = "draft"


class SpecPatchIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    title: Title | None = None
    body: Body | None = None
    category: Word | None = None
    status: Status | None = None


class AdminSpecsController(Controller):
    path = "/admin/specs"
    tags = ["admin"]

    @get("/")
    @inject
    async def list_specs(
        self,
        actor: Actor,
        uc: FromDishka[ListSpecs],
        status: str | None = None,
        category: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> SpecPageView:
        """Specification notes, latest update first; filter by `status` (draft, review,
        approved, implemented, deprecated) and/or `category`."""
        return await uc.execute(
            ListSpecsCommand(
                actor=actor, status=status, category=category, limit=limit, cursor=cursor
            )
        )

    @post("/", status_code=HTTP_201_CREATED)
    @inject
    async def create_spec(self, actor: Actor, data: SpecIn, uc: FromDishka[CreateSpec]) -> SpecView:
        """Write a note {title, body, category, status?} (status draft by default)."""
        return await uc.execute(
            CreateSpecCommand(
                actor=actor,
                title=data.title,
                body=data.body,
                category=data.category,
                status=data.status,
            )
        )

    @patch("/{spec_id:str}", status_code=HTTP_200_OK)
    @inject
    async def update_spec(
        self, spec_id: str, actor: Actor, data: SpecPatchIn, uc: FromDishka[UpdateSpec]
    ) -> SpecView:
        """Change any of title, body, category, status."""
        return await uc.execute(
            UpdateSpecCommand(
                actor=actor,
                spec_id=spec_id,
                title=data.title,
                body=data.body,
                category=data.category,
                status=data.status,
            )
        )
