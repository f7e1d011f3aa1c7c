"""Ports the moderation use cases need. The data behind them is the users module's (the
account aggregate, its sessions, its report counters), so the users adapters implement
them as they are (`SqlUserRepository`, `SqlRefreshTokenRepository`, `SqlUserCounters` and
their in-memory twins); moderation never imports the users use cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from hypehere.domain.users.model import User


class ModeratedAccounts(Protocol):
    """The accounts staff act on: load, change through the aggregate's own methods (ban,
    suspend, ...), save."""

    async def get(self, user_id: str) -> User | None: ...

    async def save(self, user: User) -> None: ...

    async def suspended_until_before(self, now: datetime, limit: int) -> Sequence[str]:
        """Ids of suspended accounts whose suspension ended at or before `now`, oldest
        first."""
        ...


class AccountSessions(Protocol):
    async def revoke_all_for_user(self, user_id: str, now: datetime) -> None:
        """End every session of the account (its refresh tokens); access tokens stop
        working at the next request, which checks the account's state."""
        ...


class ReportCounters(Protocol):
    """How often an account was reported with a resolved report (one mark per report)."""

    async def mark_report(self, user_id: str, report_id: str, at: datetime) -> bool:
        """Count the report once; False when it was already counted (or no such user)."""
        ...

    async def unmark_report(self, user_id: str, report_id: str) -> bool:
        """Uncount it; False when it was not counted."""
        ...

    async def report_counts(self, user_id: str, since: datetime) -> tuple[int, int]:
        """(all counted reports, those counted at or after `since`)."""
        ...
