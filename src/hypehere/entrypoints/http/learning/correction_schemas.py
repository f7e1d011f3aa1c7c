"""Request body of `/corrections` (the routes send the application's views as they are)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec


class CorrectionIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    target_type: Literal["post", "comment", "message"]
    target_id: Annotated[str, msgspec.Meta(max_length=64)]
    corrected_text: Annotated[str, msgspec.Meta(pattern=r"\S", max_length=5000)]
    category: Literal["grammar", "vocabulary", "spelling", "register", "politeness"]
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None
