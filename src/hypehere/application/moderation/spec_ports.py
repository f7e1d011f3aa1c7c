"""Internal specification notes (`/admin/specs`): the port, the view and the validation the
create, list and update use cases share."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec

from hypehere.application.moderation.choices import parse_choice
from hypehere.domain.moderation.specs import Spec, SpecStatus
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.pagination import Page, PageRequest


class SpecRepository(Protocol):
    async def add(self, spec: Spec) -> None: ...

    async def get(self, spec_id: str) -> Spec | None: ...

    async def save(self, spec: Spec) -> None: ...

    async def list(
        self, status: SpecStatus | None, category: str | None, page: PageRequest
    ) -> Page[Spec]:
        """Latest update first (updated_at, then id, descending); the cursor holds
        (updated_at ISO, id)."""
        ...


class SpecView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    body: str
    category: str
    status: str
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime

    @classmethod
    def of(cls, spec: Spec) -> SpecView:
        return cls(
            id=spec.id,
            title=spec.title,
            body=spec.body,
            category=spec.category,
            status=spec.status.value,
            created_by=spec.created_by,
            created_at=spec.created_at,
            updated_by=spec.updated_by,
            updated_at=spec.updated_at,
        )


class SpecPageView(msgspec.Struct, frozen=True):
    items: list[SpecView]
    next_cursor: str | None


def clean_text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text or len(text) > limit:
        raise InvalidInputError(f"{field} must have 1 to {limit} characters", field=field)
    return text


def parse_status(value: str) -> SpecStatus:
    return parse_choice(SpecStatus, value, "status")
