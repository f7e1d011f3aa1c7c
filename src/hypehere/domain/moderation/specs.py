"""Internal specification notes kept by staff (`/admin/specs`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_CATEGORY = 40


class SpecStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    IMPLEMENTED = "implemented"
    DEPRECATED = "deprecated"


@dataclass(slots=True)
class Spec:
    id: str
    title: str
    body: str
    category: str
    status: SpecStatus
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
