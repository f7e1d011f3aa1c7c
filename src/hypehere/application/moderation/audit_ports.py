"""The audit log port: append in the transaction of the staff action, list newest first.
There is deliberately no update or delete."""

from __future__ import annotations

from typing import Protocol

from hypehere.domain.moderation.audit import AuditEntry
from hypehere.domain.shared.pagination import Page, PageRequest


class AuditLog(Protocol):
    async def append(self, entry: AuditEntry) -> None: ...

    async def list(
        self, actor_id: str | None, target_id: str | None, page: PageRequest
    ) -> Page[AuditEntry]:
        """Newest first (created_at, then id, descending), optionally only one actor's
        entries and/or one target's. The cursor holds (created_at ISO string, id)."""
        ...
