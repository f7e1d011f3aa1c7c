"""Request bodies of `/reports` and `/admin/reports`, and what the reporter sees of their
report; staff routes send the application's views as they are."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Word = Annotated[str, msgspec.Meta(max_length=32)]
# A staff note: something other than whitespace (the use case strips it).
Note = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=2000)]


class ReportIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    target_type: Literal["post", "comment", "user", "message", "anonymous_conversation"]
    target_id: Id
    reason: Literal["spam", "hate", "harassment", "violence", "nsfw", "other"]
    details: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class ReportOut(msgspec.Struct, frozen=True):
    """What the reporter sees of their report (never who it is against)."""

    id: str
    target_type: str
    target_id: str
    reason: str
    details: str | None
    status: str
    created_at: datetime


class ResolveIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    action: Literal["none", "warn", "remove_content", "suspend", "ban"]
    note: Note
    suspend_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] | None = None


class DismissIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    note: Note
