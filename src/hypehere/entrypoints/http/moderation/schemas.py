"""Request bodies of `/reports` and `/admin/reports`, and what the reporter sees of their
report; staff routes send the application's views as they are."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Word = Annotated[str, msgspec.Meta(max_length=32)]
Note = Annotated[str, msgspec.Meta(max_length=2000)]


class ReportIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    target_type: Word
    target_id: Id
    reason: Word
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
    action: Word
    note: Note
    suspend_days: int | None = None


class DismissIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    note: Note
